package dev.vigil.formats;

import java.util.List;

/** The registry of {@link JsonShape}s, tried in order before an object is treated as generic JSON. */
public final class JsonShapes {
    private static final List<JsonShape> ALL = List.of(
            // JSON dialects (Suricata EVE, Zeek JSON, journald, ...) register here.
            new dev.vigil.formats.network.SuricataEveShape(),
            new dev.vigil.formats.network.ZeekJsonShape(),
            new dev.vigil.formats.audit.JournaldShape());

    private JsonShapes() {}

    public static List<JsonShape> all() {
        return ALL;
    }
}
