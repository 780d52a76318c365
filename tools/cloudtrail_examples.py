#!/usr/bin/env python3
"""Writes examples/cloudtrail/: CloudTrail log files as S3 delivers them, for the cloudtrail-audit scenario.

Deterministic (fixed ids, gzip mtime 0), so re-running it reproduces the committed files byte for byte:
    python3 tools/cloudtrail_examples.py [OUT_DIR]        (default: examples/cloudtrail)
One account, Tuesday 2025-03-11: IAM calls (global, logged in us-east-1) and EC2 calls in eu-west-1.
"""
import gzip
import hashlib
import json
import os
import sys

ACCOUNT = "123456789012"
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "examples", "cloudtrail")


def uid(seed, n=32):
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


def uuid(seed):
    h = uid(seed)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


JDOE = {"type": "IAMUser", "principalId": "AIDA4EXAMPLEJDOE0001", "arn": f"arn:aws:iam::{ACCOUNT}:user/jdoe",
        "accountId": ACCOUNT, "accessKeyId": "AKIA" + "4EXAMPLEJDOE0001", "userName": "jdoe"}


def role(name, session):
    return {"type": "AssumedRole", "principalId": f"AROA4EXAMPLE{name.upper()[:8]}:{session}",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/{session}", "accountId": ACCOUNT,
            "accessKeyId": "ASIA4EXAMPLE" + uid(session, 8).upper(),
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": f"AROA4EXAMPLE{name.upper()[:8]}",
                                                 "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}", "accountId": ACCOUNT,
                                                 "userName": name},
                               "attributes": {"creationDate": "2025-03-11T13:55:02Z", "mfaAuthenticated": "true"}}}


ALICE = role("PlatformEngineer", "alice@example.com")
CI = role("ci-deployer", "gitlab-ci-88213")


def record(time, source, name, who, region, req, resp, ip="198.51.100.23", agent="aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#ec2.run-instances",
           error=None, read_only=False):
    r = {"eventVersion": "1.10", "userIdentity": who, "eventTime": time, "eventSource": source, "eventName": name,
         "awsRegion": region, "sourceIPAddress": ip, "userAgent": agent, "requestParameters": req,
         "responseElements": resp, "requestID": uuid("req" + time + name), "eventID": uuid("ev" + time + name + json.dumps(req)),
         "readOnly": read_only, "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT,
         "eventCategory": "Management",
         "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                        "clientProvidedHostHeader": source.replace(".amazonaws.com", "") + ("." + region if source.startswith("ec2") else "") + ".amazonaws.com"}}
    if error:
        r["errorCode"], r["errorMessage"] = error
        r["responseElements"] = None
    return r


def iam(time, name, req, resp, who=JDOE):
    return record(time, "iam.amazonaws.com", name, who, "us-east-1", req, resp, ip="203.0.113.77",
                  agent="aws-cli/2.22.4 md/command#iam." + name)


def run_instances(time, who, instance, name_tag, extra_tags=(), count=1):
    tags = [{"key": "Name", "value": name_tag}] + [{"key": k, "value": v} for k, v in extra_tags]
    req = {"instancesSet": {"items": [{"imageId": "ami-0a89fa9a6d8c7ad98", "minCount": count, "maxCount": count}]},
           "instanceType": "t3.medium", "blockDeviceMapping": {}, "monitoring": {"enabled": False},
           "subnetId": "subnet-0c3f5a7e9b1d2f406", "disableApiTermination": False, "disableApiStop": False,
           "clientToken": uuid("tok" + instance),
           "networkInterfaceSet": {"items": [{"deviceIndex": 0, "subnetId": "subnet-0c3f5a7e9b1d2f406",
                                              "groupSet": {"items": [{"groupId": "sg-0d2a4c6e8f0b1a3c5"}]}}]},
           "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": tags},
                                             {"resourceType": "volume", "tags": tags}]}}
    resp = {"requestId": uuid("rq" + instance), "reservationId": "r-0" + uid(instance, 16), "ownerId": ACCOUNT,
            "groupSet": {}, "requesterId": None,
            "instancesSet": {"items": [{
                "instanceId": instance, "imageId": "ami-0a89fa9a6d8c7ad98", "currentInstanceBootMode": "uefi",
                "instanceState": {"code": 0, "name": "pending"}, "privateDnsName": "ip-10-20-4-17.eu-west-1.compute.internal",
                "amiLaunchIndex": 0, "productCodes": {}, "instanceType": "t3.medium", "launchTime": 1741701720000,
                "placement": {"availabilityZone": "eu-west-1b", "tenancy": "default"}, "monitoring": {"state": "disabled"},
                "subnetId": "subnet-0c3f5a7e9b1d2f406", "vpcId": "vpc-0b7e2d4f6a8c1e3a5", "privateIpAddress": "10.20.4.17",
                "stateReason": {"code": "pending", "message": "pending"}, "architecture": "x86_64", "rootDeviceType": "ebs",
                "rootDeviceName": "/dev/xvda", "blockDeviceMapping": {}, "virtualizationType": "hvm", "hypervisor": "xen",
                "groupSet": {"items": [{"groupId": "sg-0d2a4c6e8f0b1a3c5", "groupName": "app-servers"}]},
                "tagSet": {"items": tags}}]}}
    return record(time, "ec2.amazonaws.com", "RunInstances", who, "eu-west-1", req, resp)


def create_tags(time, who, instance, tags):
    req = {"resourcesSet": {"items": [{"resourceId": instance}]},
           "tagSet": {"items": [{"key": k, "value": v} for k, v in tags]}}
    return record(time, "ec2.amazonaws.com", "CreateTags", who, "eu-west-1", req,
                  {"requestId": uuid("ct" + time), "_return": True}, agent="aws-cli/2.22.4 md/command#ec2.create-tags")


def describe(time, who):
    return record(time, "ec2.amazonaws.com", "DescribeInstances", who, "eu-west-1",
                  {"instancesSet": {}, "filterSet": {}}, None, read_only=True,
                  agent="aws-cli/2.22.4 md/command#ec2.describe-instances")


def files():
    user = "backup-sync"
    yield "us-east-1", "20250311T0205Z", "Ks8mWq2ZpT4nYb0c", [
        iam("2025-03-11T02:00:41Z", "CreateUser", {"userName": user},
            {"user": {"path": "/", "userName": user, "userId": "AIDA4EXAMPLEBACKUP01",
                      "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}", "createDate": "Mar 11, 2025, 2:00:41 AM"}}),
        iam("2025-03-11T02:03:12Z", "CreateAccessKey", {"userName": user},
            {"accessKey": {"userName": user, "accessKeyId": "AKIA" + "4EXAMPLEBACKUP01", "status": "Active",
                           "createDate": "Mar 11, 2025, 2:03:12 AM"}}),
    ]
    yield "us-east-1", "20250311T0210Z", "Hd41vLr7QeXc2NaP", [
        iam("2025-03-11T02:05:58Z", "AttachUserPolicy",
            {"userName": user, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, None),
        iam("2025-03-11T02:06:30Z", "AttachUserPolicy",
            {"userName": user, "policyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}, None),
    ]
    reporting = "i-0f3c9a1b7d2e4c6a8"
    etl = "i-07ab4d2c9e1f3b5a7"
    yield "eu-west-1", "20250311T1405Z", "Pz3oFj9sRkw5Uy1M", [
        run_instances("2025-03-11T14:02:00Z", ALICE, reporting, "reporting-01"),
        record("2025-03-11T14:03:19Z", "ec2.amazonaws.com", "RunInstances", CI, "eu-west-1",
               {"instancesSet": {"items": [{"imageId": "ami-0a89fa9a6d8c7ad98", "minCount": 1, "maxCount": 1}]},
                "instanceType": "p4d.24xlarge"}, None,
               error=("Client.UnauthorizedOperation", "You are not authorized to perform this operation.")),
    ]
    yield "eu-west-1", "20250311T1410Z", "Tn6gBc8yHa2XeW4q", [
        run_instances("2025-03-11T14:05:07Z", CI, etl, "etl-worker-3"),
        create_tags("2025-03-11T14:06:07Z", CI, etl, [("Owner", "data-platform"), ("CostCenter", "cc-4410")]),
        describe("2025-03-11T14:06:40Z", CI),
    ]
    yield "eu-west-1", "20250311T1425Z", "Qm2xVd7kLs9cJe5R", [
        record("2025-03-11T14:20:33Z", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", ALICE, "eu-west-1",
               {"groupId": "sg-0d2a4c6e8f0b1a3c5",
                "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "groups": {},
                                             "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0", "description": "temp debug"}]},
                                             "ipv6Ranges": {}, "prefixListIds": {}}]}},
               {"requestId": uuid("sg"), "_return": True,
                "securityGroupRuleSet": {"items": [{"groupOwnerId": ACCOUNT, "groupId": "sg-0d2a4c6e8f0b1a3c5",
                                                    "securityGroupRuleId": "sgr-0e4c2a8b6d1f3a5c7", "isEgress": False,
                                                    "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                                                    "cidrIpv4": "0.0.0.0/0", "description": "temp debug"}]}},
               agent="aws-cli/2.22.4 md/command#ec2.authorize-security-group-ingress"),
        describe("2025-03-11T14:21:02Z", ALICE),
    ]


def main():
    for region, stamp, rand, records in files():
        day = f"{stamp[:4]}/{stamp[4:6]}/{stamp[6:8]}"
        d = os.path.join(OUT, "AWSLogs", ACCOUNT, "CloudTrail", region, day)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"{ACCOUNT}_CloudTrail_{region}_{stamp}_{rand}.json.gz")
        body = json.dumps({"Records": records}, separators=(",", ":")).encode()
        with open(path, "wb") as f:
            f.write(gzip.compress(body, mtime=0))
        print(path, len(records), "records")


if __name__ == "__main__":
    main()
