package dev.vigil.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The JSON output contract's schema as shipped (docs/schema/vigil-output.schema.json), for tests of every line kind. */
public final class JsonContract {
    public static final Path SCHEMA_FILE = Path.of("docs/schema/vigil-output.schema.json");
    private static final Schema SCHEMA;

    static {
        try (InputStream in = Files.newInputStream(SCHEMA_FILE)) {
            SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonContract() {}

    /** What is wrong with one output line, empty when it follows the contract. */
    public static List<String> errors(JsonNode line) {
        return SCHEMA.validate(line).stream().map(Error::toString).toList();
    }
}
