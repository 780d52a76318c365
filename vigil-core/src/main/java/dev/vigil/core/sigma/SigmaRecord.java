package dev.vigil.core.sigma;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A log record as Sigma rules see it: a JSON tree reached by top-level field name. {@code null} means the field is
 * absent; a JSON null node means it is present and null.
 */
@FunctionalInterface
public interface SigmaRecord {
    JsonNode field(String name);
}
