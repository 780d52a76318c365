package dev.vigil.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.Network;
import software.amazon.awssdk.services.securityhub.model.Note;
import software.amazon.awssdk.services.securityhub.model.Recommendation;
import software.amazon.awssdk.services.securityhub.model.Remediation;
import software.amazon.awssdk.services.securityhub.model.Resource;
import software.amazon.awssdk.services.securityhub.model.Severity;
import software.amazon.awssdk.services.securityhub.model.Workflow;

/**
 * The SDK's {@link AwsSecurityFinding} from the ASFF JSON that {@code --format asff} prints
 * ({@link dev.vigil.output.AsffFinding}), field for field: one definition of the document, printed and imported
 * alike (SecurityHubNotifierTest compares the request body with the printed document).
 */
final class AsffModel {
    private AsffModel() {}

    static AwsSecurityFinding of(JsonNode d) {
        AwsSecurityFinding.Builder b = AwsSecurityFinding.builder()
                .schemaVersion(text(d, "SchemaVersion")).id(text(d, "Id")).productArn(text(d, "ProductArn"))
                .productName(text(d, "ProductName")).companyName(text(d, "CompanyName")).generatorId(text(d, "GeneratorId"))
                .awsAccountId(text(d, "AwsAccountId")).region(text(d, "Region")).types(strings(d.path("Types")))
                .firstObservedAt(text(d, "FirstObservedAt")).lastObservedAt(text(d, "LastObservedAt"))
                .createdAt(text(d, "CreatedAt")).updatedAt(text(d, "UpdatedAt"))
                .severity(Severity.builder().label(text(d.path("Severity"), "Label")).original(text(d.path("Severity"), "Original")).build())
                .title(text(d, "Title")).description(text(d, "Description"))
                .remediation(Remediation.builder().recommendation(Recommendation.builder()
                        .text(text(d.path("Remediation").path("Recommendation"), "Text")).build()).build())
                .recordState(text(d, "RecordState"))
                .workflow(Workflow.builder().status(text(d.path("Workflow"), "Status")).build());
        Map<String, String> fields = new LinkedHashMap<>();
        d.path("ProductFields").properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        b.productFields(fields);
        List<Resource> resources = new ArrayList<>();
        for (JsonNode r : d.path("Resources")) {
            resources.add(Resource.builder().type(text(r, "Type")).id(text(r, "Id")).partition(text(r, "Partition")).region(text(r, "Region")).build());
        }
        b.resources(resources);
        JsonNode n = d.path("Network");
        if (n.isObject()) b.network(Network.builder().direction(text(n, "Direction")).sourceIpV4(text(n, "SourceIpV4")).sourceIpV6(text(n, "SourceIpV6")).build());
        JsonNode note = d.path("Note");
        if (note.isObject()) b.note(Note.builder().text(text(note, "Text")).updatedBy(text(note, "UpdatedBy")).updatedAt(text(note, "UpdatedAt")).build());
        return b.build();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }
}
