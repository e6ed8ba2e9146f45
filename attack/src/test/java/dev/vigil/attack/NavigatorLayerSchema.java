package dev.vigil.attack;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON Schema of the ATT&CK Navigator layer format 4.5 ({@code navigator-layer-4.5.schema.json}, written for these
 * tests from the format's definition), shared through the test-jar with the command line's tests.
 */
public final class NavigatorLayerSchema {
    private NavigatorLayerSchema() {}

    /** The messages of every violation of the schema by {@code layerJson}; empty when it is valid. */
    public static List<String> violations(String layerJson) {
        try (InputStream in = NavigatorLayerSchema.class.getResourceAsStream("navigator-layer-4.5.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("navigator-layer-4.5.schema.json is missing from the test classpath");
            }
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in);
            return schema.validate(layerJson, InputFormat.JSON).stream()
                    .map(Error::toString)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
