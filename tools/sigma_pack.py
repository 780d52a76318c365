#!/usr/bin/env python3
"""Writes vigil's Sigma rule pack (rules/aws/) with one positive and one negative test event beside each rule.

The rules are written from what each API call means (who may assume a role, what a policy grants, what is shared
with another account), with test events written from the API's documented request shapes. Run from the project root:
python3 tools/sigma_pack.py
"""
import json, os, textwrap

HEADER = """# Copyright 2026 the vigil authors
# SPDX-License-Identifier: Apache-2.0
# Licensed under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0).
"""
OUT = "rules/aws"
ACCOUNT = "111122223333"
OTHER = "444455556666"
n = [0]

def rec(source, name, req=None, resp=None, error=None, arn="arn:aws:iam::%s:user/alice" % ACCOUNT, utype="IAMUser", minute=0, **extra):
    n[0] += 1
    r = {"eventVersion": "1.09",
         "userIdentity": {"type": utype, "arn": arn, "accountId": ACCOUNT, "principalId": "AIDAEXAMPLE", "userName": arn.rsplit("/", 1)[-1]},
         "eventTime": "2025-01-15T10:%02d:%02dZ" % (minute, n[0] % 60), "eventSource": source + ".amazonaws.com", "eventName": name,
         "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.15.0",
         "requestParameters": req, "responseElements": resp, "eventID": "00000000-0000-4000-8000-%012d" % n[0],
         "readOnly": False, "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT}
    if error:
        r["errorCode"] = error
        r["errorMessage"] = "denied"
    r.update(extra)
    return r

def trust(principal):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}, indent=2)

RULES = []

def rule(name, title, description, tags, level, detection, positive, negative, falsepositives=("Administration by the account's own engineers",), extra_docs=""):
    RULES.append((name, title, description, tags, level, detection, positive, negative, falsepositives, extra_docs))

rule("vigil_ec2_get_password_data", "EC2 Windows Password Data Retrieved",
     "GetPasswordData returns an instance's encrypted Windows administrator password: with the launch key it is a local administrator credential. Failed attempts are reported too: they show someone trying.",
     ["attack.credential-access", "attack.t1552.005"], "medium",
     """    selection:
        eventSource: ec2.amazonaws.com
        eventName: GetPasswordData
    condition: selection""",
     [rec("ec2", "GetPasswordData", {"instanceId": "i-0123456789abcdef0"}, error="Client.UnauthorizedOperation")],
     [rec("ec2", "DescribeInstances", {"instancesSet": {}})])

rule("vigil_secretsmanager_batch_get_secret_value", "Secrets Manager Batch Secret Retrieval",
     "BatchGetSecretValue returns the values of many secrets in one call (by a list or by a filter): a way to collect credentials in bulk.",
     ["attack.credential-access", "attack.t1555.006"], "medium",
     """    selection:
        eventSource: secretsmanager.amazonaws.com
        eventName: BatchGetSecretValue
    condition: selection""",
     [rec("secretsmanager", "BatchGetSecretValue", {"filters": [{"key": "tag-key", "values": ["team"]}]})],
     [rec("secretsmanager", "ListSecrets", {"maxResults": 100})])

rule("vigil_secretsmanager_many_secrets_read", "Many Distinct Secrets Read by One Principal",
     "One principal reads the values of five or more distinct secrets within ten minutes (value_count correlation): applications read their own few secrets; reading many is collection.",
     ["attack.credential-access", "attack.t1555.006"], "high",
     """    selection:
        eventSource: secretsmanager.amazonaws.com
        eventName: GetSecretValue
    condition: selection""",
     [rec("secretsmanager", "GetSecretValue", {"secretId": "arn:aws:secretsmanager:us-east-1:%s:secret:app-%d" % (ACCOUNT, i)}) for i in range(5)],
     [rec("secretsmanager", "GetSecretValue", {"secretId": "arn:aws:secretsmanager:us-east-1:%s:secret:app-db" % ACCOUNT}) for i in range(8)],
     extra_docs="""correlation:
    type: value_count
    rules:
        - vigil_secretsmanager_get_secret_value
    group-by:
        - userIdentity.arn
    timespan: 10m
    condition:
        field: requestParameters.secretId
        gte: 5""")

rule("vigil_ssm_many_secure_parameters_read", "Many SecureString Parameters Decrypted by One Principal",
     "One principal decrypts ten or more distinct SSM parameters within ten minutes (GetParameter/GetParameters/GetParametersByPath with decryption): bulk collection of stored secrets.",
     ["attack.credential-access", "attack.t1552"], "high",
     """    selection:
        eventSource: ssm.amazonaws.com
        eventName:
            - GetParameter
            - GetParameters
        requestParameters.withDecryption: 'true'
    condition: selection""",
     [rec("ssm", "GetParameters", {"names": ["/app/key-%d" % i for i in range(10)], "withDecryption": True})],
     [rec("ssm", "GetParameters", {"names": ["/app/key-%d" % i for i in range(10)], "withDecryption": False}),
      rec("ssm", "GetParameter", {"name": "/app/db-password", "withDecryption": True})],
     extra_docs="""correlation:
    type: value_count
    rules:
        - vigil_ssm_get_parameters_decrypted
    group-by:
        - userIdentity.arn
    timespan: 10m
    condition:
        field: requestParameters.names
        gte: 10""")

rule("vigil_cloudtrail_event_selectors_reduce_logging", "CloudTrail Event Selectors Reduce Logging",
     "PutEventSelectors that stops recording management events, records only reads or only writes, or excludes event sources: the trail goes on running but no longer sees what an attacker does next.",
     ["attack.defense-evasion", "attack.t1562.008"], "high",
     """    selection:
        eventSource: cloudtrail.amazonaws.com
        eventName: PutEventSelectors
    reduce_management:
        requestParameters.eventSelectors.includeManagementEvents: 'false'
    reduce_readwrite:
        requestParameters.eventSelectors.readWriteType:
            - ReadOnly
            - WriteOnly
    reduce_sources:
        requestParameters.eventSelectors.excludeManagementEventSources: '*'
    condition: selection and 1 of reduce_*""",
     [rec("cloudtrail", "PutEventSelectors", {"trailName": "main", "eventSelectors": [{"readWriteType": "All", "includeManagementEvents": False, "dataResources": [], "excludeManagementEventSources": []}]})],
     [rec("cloudtrail", "PutEventSelectors", {"trailName": "main", "eventSelectors": [{"readWriteType": "All", "includeManagementEvents": True, "dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}], "excludeManagementEventSources": []}]})])

rule("vigil_route53resolver_query_logging_removed", "Route 53 Resolver Query Logging Removed",
     "Deleting or disassociating a Resolver query logging configuration stops the record of the DNS names a VPC's workloads look up.",
     ["attack.defense-evasion", "attack.t1562.008"], "high",
     """    selection:
        eventSource: route53resolver.amazonaws.com
        eventName:
            - DeleteResolverQueryLogConfig
            - DisassociateResolverQueryLogConfig
    condition: selection""",
     [rec("route53resolver", "DeleteResolverQueryLogConfig", {"resolverQueryLogConfigId": "rqlc-0123456789abcdef"})],
     [rec("route53resolver", "ListResolverQueryLogConfigs", {})])

rule("vigil_organizations_leave", "Account Leaves or Attempts to Leave the Organization",
     "LeaveOrganization removes the account from its organization's service control policies, consolidated trail and security tooling. A denied attempt is reported too.",
     ["attack.defense-evasion", "attack.t1562"], "high",
     """    selection:
        eventSource: organizations.amazonaws.com
        eventName: LeaveOrganization
    condition: selection""",
     [rec("organizations", "LeaveOrganization", None, error="AccessDenied")],
     [rec("organizations", "DescribeOrganization", None)])

rule("vigil_ec2_user_data_read", "EC2 Instance User Data Read",
     "DescribeInstanceAttribute for userData returns the instance's boot script, where credentials are often left. Failed attempts are reported too.",
     ["attack.discovery", "attack.credential-access", "attack.t1552.005"], "low",
     """    selection:
        eventSource: ec2.amazonaws.com
        eventName: DescribeInstanceAttribute
        requestParameters.attribute: userData
    condition: selection""",
     [rec("ec2", "DescribeInstanceAttribute", {"instanceId": "i-0123456789abcdef0", "attribute": "userData"})],
     [rec("ec2", "DescribeInstanceAttribute", {"instanceId": "i-0123456789abcdef0", "attribute": "instanceType"})])

rule("vigil_ec2_accelerated_instance_launch", "EC2 GPU or Accelerator Instance Launch",
     "RunInstances of GPU and machine-learning accelerator families (P, G, Inf, Trn, DL): the instance types of cryptomining and stolen-compute abuse. Denied attempts are reported too.",
     ["attack.impact", "attack.t1496"], "medium",
     """    selection:
        eventSource: ec2.amazonaws.com
        eventName: RunInstances
        requestParameters.instanceType|startswith:
            - 'p2.'
            - 'p3.'
            - 'p3dn.'
            - 'p4d.'
            - 'p4de.'
            - 'p5.'
            - 'p5e.'
            - 'g3.'
            - 'g3s.'
            - 'g4dn.'
            - 'g4ad.'
            - 'g5.'
            - 'g5g.'
            - 'g6.'
            - 'gr6.'
            - 'inf1.'
            - 'inf2.'
            - 'trn1.'
            - 'dl1.'
    condition: selection""",
     [rec("ec2", "RunInstances", {"instanceType": "g5.12xlarge", "instancesSet": {"items": [{"imageId": "ami-0123456789abcdef0", "minCount": 1, "maxCount": 4}]}})],
     [rec("ec2", "RunInstances", {"instanceType": "t3.micro", "instancesSet": {"items": [{"imageId": "ami-0123456789abcdef0", "minCount": 1, "maxCount": 1}]}})])

rule("vigil_ec2_user_data_modified", "EC2 Instance User Data Modified",
     "ModifyInstanceAttribute that sets userData: the new script runs as root at the instance's next start (code execution on a stopped instance).",
     ["attack.execution", "attack.persistence", "attack.t1059.009"], "high",
     """    selection:
        eventSource: ec2.amazonaws.com
        eventName: ModifyInstanceAttribute
        requestParameters.userData|exists: true
    condition: selection""",
     [rec("ec2", "ModifyInstanceAttribute", {"instanceId": "i-0123456789abcdef0", "userData": "<sensitiveDataRemoved>"})],
     [rec("ec2", "ModifyInstanceAttribute", {"instanceId": "i-0123456789abcdef0", "instanceType": {"value": "t3.large"}})])

rule("vigil_ssm_start_session", "SSM Session Started on an Instance",
     "StartSession opens an interactive shell (or a port forward) on a managed instance without SSH keys or open ports.",
     ["attack.execution", "attack.lateral-movement", "attack.t1021.007"], "low",
     """    selection:
        eventSource: ssm.amazonaws.com
        eventName: StartSession
    condition: selection""",
     [rec("ssm", "StartSession", {"target": "i-0123456789abcdef0"})],
     [rec("ssm", "DescribeSessions", {"state": "Active"})])

rule("vigil_ec2_ami_shared", "EC2 AMI Shared with Another Account or Made Public",
     "ModifyImageAttribute adding a launch permission gives another account (or everyone, group all) a copy of the image's disks.",
     ["attack.exfiltration", "attack.t1537"], "high",
     """    selection:
        eventSource: ec2.amazonaws.com
        eventName: ModifyImageAttribute
    add_account:
        requestParameters.launchPermission.add.items.userId|exists: true
    add_public:
        requestParameters.launchPermission.add.items.group: all
    add_org:
        - requestParameters.launchPermission.add.items.organizationArn|exists: true
        - requestParameters.launchPermission.add.items.organizationalUnitArn|exists: true
    condition: selection and 1 of add_*""",
     [rec("ec2", "ModifyImageAttribute", {"imageId": "ami-0123456789abcdef0", "attributeType": "launchPermission", "launchPermission": {"add": {"items": [{"userId": OTHER}]}}})],
     [rec("ec2", "ModifyImageAttribute", {"imageId": "ami-0123456789abcdef0", "attributeType": "launchPermission", "launchPermission": {"remove": {"items": [{"userId": OTHER}]}}})])

rule("vigil_rds_snapshot_shared", "RDS Snapshot Shared with Another Account or Made Public",
     "ModifyDBSnapshotAttribute / ModifyDBClusterSnapshotAttribute adding accounts (or all) to the restore attribute: they can restore the database elsewhere.",
     ["attack.exfiltration", "attack.t1537"], "high",
     """    selection:
        eventSource: rds.amazonaws.com
        eventName:
            - ModifyDBSnapshotAttribute
            - ModifyDBClusterSnapshotAttribute
        requestParameters.attributeName: restore
        requestParameters.valuesToAdd: '*'
    condition: selection""",
     [rec("rds", "ModifyDBSnapshotAttribute", {"dBSnapshotIdentifier": "prod-db", "attributeName": "restore", "valuesToAdd": [OTHER]})],
     [rec("rds", "ModifyDBSnapshotAttribute", {"dBSnapshotIdentifier": "prod-db", "attributeName": "restore", "valuesToRemove": [OTHER]})])

rule("vigil_bedrock_model_access_enabled", "Bedrock Model Access Enabled",
     "Calls that enable access to foundation models (use-case submission, model agreement, entitlement): the first steps of using the account's Bedrock quota, the pattern of LLM-jacking with stolen keys.",
     ["attack.impact", "attack.t1496"], "medium",
     """    selection:
        eventSource: bedrock.amazonaws.com
        eventName:
            - PutUseCaseForModelAccess
            - CreateFoundationModelAgreement
            - PutFoundationModelEntitlement
    condition: selection""",
     [rec("bedrock", "PutUseCaseForModelAccess", {"formData": "<sensitiveDataRemoved>"})],
     [rec("bedrock", "ListFoundationModels", {})],
     falsepositives=("A team enabling Bedrock models for the first time",))

rule("vigil_ec2_instance_ssh_key_pushed", "SSH Key Pushed to an Instance",
     "EC2 Instance Connect SendSSHPublicKey / SendSerialConsoleSSHPublicKey installs a key valid for 60 seconds: an SSH (or serial console) login without the instance's key pair.",
     ["attack.lateral-movement", "attack.t1021.004"], "medium",
     """    selection:
        eventSource: ec2-instance-connect.amazonaws.com
        eventName:
            - SendSSHPublicKey
            - SendSerialConsoleSSHPublicKey
    condition: selection""",
     [rec("ec2-instance-connect", "SendSSHPublicKey", {"instanceId": "i-0123456789abcdef0", "instanceOSUser": "ec2-user", "sSHPublicKey": "ssh-ed25519 AAAA"})],
     [rec("ec2", "DescribeInstanceConnectEndpoints", {})])

rule("vigil_ec2_serial_console_enabled", "EC2 Serial Console Access Enabled",
     "EnableSerialConsoleAccess turns on, account-wide, console access to instances below the network: no security group or NACL applies.",
     ["attack.lateral-movement", "attack.t1021"], "medium",
     """    selection:
        eventSource: ec2.amazonaws.com
        eventName: EnableSerialConsoleAccess
    condition: selection""",
     [rec("ec2", "EnableSerialConsoleAccess", {})],
     [rec("ec2", "GetSerialConsoleAccessStatus", {})])

rule("vigil_iam_role_trust_allows_aws_principal", "IAM Role Trust Policy Lets an AWS Principal Assume It",
     "CreateRole or UpdateAssumeRolePolicy with a trust policy naming an AWS principal (an account, user or role, here or elsewhere): that principal may now assume the role. Service-only trust (ec2.amazonaws.com ...) is not reported.",
     ["attack.persistence", "attack.privilege-escalation", "attack.t1098.003"], "medium",
     """    selection_create:
        eventSource: iam.amazonaws.com
        eventName: CreateRole
        requestParameters.assumeRolePolicyDocument|re: '"AWS"\\s*:'
    selection_update:
        eventSource: iam.amazonaws.com
        eventName: UpdateAssumeRolePolicy
        requestParameters.policyDocument|re: '"AWS"\\s*:'
    condition: 1 of selection_*""",
     [rec("iam", "UpdateAssumeRolePolicy", {"roleName": "deploy", "policyDocument": trust({"AWS": "arn:aws:iam::%s:root" % OTHER})})],
     [rec("iam", "CreateRole", {"roleName": "app", "assumeRolePolicyDocument": trust({"Service": "lambda.amazonaws.com"})})],
     falsepositives=("Cross-account roles set up on purpose (deployment, audit)",))

rule("vigil_iam_role_trust_allows_anyone", "IAM Role Trust Policy Lets Anyone Assume It",
     "A trust policy with the principal * (or AWS: *): any AWS principal in any account may assume the role, unless conditions restrict it.",
     ["attack.persistence", "attack.privilege-escalation", "attack.t1098.003"], "critical",
     """    selection_create:
        eventSource: iam.amazonaws.com
        eventName: CreateRole
        requestParameters.assumeRolePolicyDocument|re: '"(AWS|Principal)"\\s*:\\s*(\\[\\s*)?"\\*"'
    selection_update:
        eventSource: iam.amazonaws.com
        eventName: UpdateAssumeRolePolicy
        requestParameters.policyDocument|re: '"(AWS|Principal)"\\s*:\\s*(\\[\\s*)?"\\*"'
    condition: 1 of selection_*""",
     [rec("iam", "CreateRole", {"roleName": "open", "assumeRolePolicyDocument": trust({"AWS": "*"})})],
     [rec("iam", "CreateRole", {"roleName": "x", "assumeRolePolicyDocument": trust({"AWS": "arn:aws:iam::%s:root" % ACCOUNT})})],
     falsepositives=("Roles whose trust is restricted by conditions (sts:ExternalId, aws:PrincipalOrgID)",))

rule("vigil_iam_admin_policy_attached", "IAM Administrator Policy Attached",
     "AttachUserPolicy / AttachRolePolicy / AttachGroupPolicy with AdministratorAccess or IAMFullAccess: the principal can now do anything, or grant itself anything.",
     ["attack.persistence", "attack.privilege-escalation", "attack.t1098.003"], "high",
     """    selection:
        eventSource: iam.amazonaws.com
        eventName:
            - AttachUserPolicy
            - AttachRolePolicy
            - AttachGroupPolicy
        requestParameters.policyArn|endswith:
            - ':policy/AdministratorAccess'
            - ':policy/IAMFullAccess'
    condition: selection""",
     [rec("iam", "AttachRolePolicy", {"roleName": "helper", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})],
     [rec("iam", "AttachRolePolicy", {"roleName": "helper", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})])

rule("vigil_iam_inline_policy_grants_everything", "IAM Inline Policy Grants Every Action",
     "PutUserPolicy / PutRolePolicy / PutGroupPolicy whose document allows the action * : an administrator grant that managed-policy reviews do not list.",
     ["attack.persistence", "attack.privilege-escalation", "attack.t1098.003"], "high",
     """    selection:
        eventSource: iam.amazonaws.com
        eventName:
            - PutUserPolicy
            - PutRolePolicy
            - PutGroupPolicy
        requestParameters.policyDocument|re: '"Action"\\s*:\\s*(\\[\\s*)?"\\*"'
    condition: selection""",
     [rec("iam", "PutRolePolicy", {"roleName": "helper", "policyName": "p", "policyDocument": json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})})],
     [rec("iam", "PutRolePolicy", {"roleName": "helper", "policyName": "p", "policyDocument": json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})})])

rule("vigil_iam_login_profile_created_for_other_user", "Console Password Created for Another IAM User",
     "CreateLoginProfile by a principal other than the user: someone gives an existing user (often a service user) a console password they know.",
     ["attack.persistence", "attack.t1098"], "medium",
     """    selection:
        eventSource: iam.amazonaws.com
        eventName: CreateLoginProfile
    filter_main_self:
        userIdentity.arn|fieldref|endswith: requestParameters.userName
    condition: selection and not 1 of filter_main_*""",
     [rec("iam", "CreateLoginProfile", {"userName": "ci-bot", "passwordResetRequired": False})],
     [rec("iam", "CreateLoginProfile", {"userName": "alice", "passwordResetRequired": True})],
     falsepositives=("Administrators creating console access for new users",))

rule("vigil_lambda_function_public", "Lambda Function Callable by Anyone",
     "AddPermission with the principal * : the function's resource policy lets any account invoke it (a public backdoor endpoint).",
     ["attack.persistence", "attack.t1546"], "high",
     """    selection:
        eventSource: lambda.amazonaws.com
        eventName|startswith: AddPermission
        requestParameters.principal: '\\*'
    condition: selection""",
     [rec("lambda", "AddPermission20150331v2", {"functionName": "f", "statementId": "s", "action": "lambda:InvokeFunction", "principal": "*"})],
     [rec("lambda", "AddPermission20150331v2", {"functionName": "f", "statementId": "s", "action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com", "sourceAccount": ACCOUNT})])

rule("vigil_lambda_code_updated", "Lambda Function Code Replaced",
     "UpdateFunctionCode replaces what a function runs, with its role's permissions, on its triggers.",
     ["attack.persistence", "attack.execution", "attack.t1546"], "low",
     """    selection:
        eventSource: lambda.amazonaws.com
        eventName|startswith: UpdateFunctionCode
    condition: selection""",
     [rec("lambda", "UpdateFunctionCode20150331v2", {"functionName": "f", "publish": False})],
     [rec("lambda", "GetFunction20150331v2", {"functionName": "f"})],
     falsepositives=("Deployment pipelines (exempt their roles in the policy)",))

rule("vigil_rolesanywhere_trust_anchor_changed", "IAM Roles Anywhere Trust Anchor Created or Changed",
     "CreateTrustAnchor / UpdateTrustAnchor: holders of certificates from that authority can obtain credentials for the account's roles from outside AWS.",
     ["attack.persistence", "attack.t1098"], "high",
     """    selection:
        eventSource: rolesanywhere.amazonaws.com
        eventName:
            - CreateTrustAnchor
            - UpdateTrustAnchor
    condition: selection""",
     [rec("rolesanywhere", "CreateTrustAnchor", {"name": "anchor", "enabled": True, "source": {"sourceType": "CERTIFICATE_BUNDLE"}})],
     [rec("rolesanywhere", "ListTrustAnchors", {})])

rule("vigil_sts_federation_token", "STS Federation Token Issued",
     "GetFederationToken gives long-lived IAM user credentials a new session (up to 36 hours) that survives deleting the user's access key.",
     ["attack.persistence", "attack.defense-evasion", "attack.t1550.001"], "medium",
     """    selection:
        eventSource: sts.amazonaws.com
        eventName: GetFederationToken
    condition: selection""",
     [rec("sts", "GetFederationToken", {"name": "session", "durationSeconds": 129600})],
     [rec("sts", "GetCallerIdentity", None)])

os.makedirs(OUT, exist_ok=True)
import uuid
for (name, title, description, tags, level, detection, positive, negative, fps, extra) in RULES:
    rid = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/vigil/rules/aws/" + name))
    meta = "title: %s\nid: %s\nstatus: experimental\ndescription: %s\nreferences:\n    - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html\nauthor: vigil\nlicense: Apache-2.0\ndate: 2026-12-02\ntags:\n%s\n" % (
        title, rid, json.dumps(description), "".join("    - %s\n" % t for t in tags))
    fp = "falsepositives:\n" + "".join("    - %s\n" % f for f in fps)
    if extra:
        base = extra.split("rules:\n        - ")[1].split("\n")[0]
        text = HEADER + meta + extra + "\n" + fp + "level: %s\n---\n" % level
        text += "title: %s (each call)\nid: %s\nname: %s\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n%s\nlevel: informational\n" % (
            title, str(uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/vigil/rules/aws/" + base)), base, detection)
    else:
        text = HEADER + meta + "logsource:\n    product: aws\n    service: cloudtrail\ndetection:\n%s\n" % detection + fp + "level: %s\n" % level
    open(os.path.join(OUT, name + ".yml"), "w").write(text)
    json.dump(positive, open(os.path.join(OUT, name + ".match.json"), "w"), indent=2)
    json.dump(negative, open(os.path.join(OUT, name + ".nomatch.json"), "w"), indent=2)
print(len(RULES), "rules written to", OUT)
