package dev.vigil.core.sigma;

import java.util.List;

/**
 * What a Sigma rule says about itself.
 *
 * @param ruleId the finding's {@code rule}: the rule file's name without {@code .yml}
 * @param name the rule's {@code name} (used by correlations), or null
 */
public record SigmaMeta(String ruleId, String id, String name, String title, String level, List<String> tags,
                        List<String> references, String author, String license, String description, String file, int line) {
    public SigmaMeta {
        tags = List.copyOf(tags);
        references = List.copyOf(references);
    }
}
