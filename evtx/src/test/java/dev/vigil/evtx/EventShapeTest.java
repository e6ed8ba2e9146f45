package dev.vigil.evtx;

import static dev.vigil.evtx.BinXmlWriter.le;
import static dev.vigil.evtx.BinXmlWriter.string;
import static dev.vigil.evtx.BinXmlWriter.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.evtx.BinXmlWriter.Value;
import dev.vigil.evtx.SampleFiles.Read;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every BinXML value type and the evtx_dump shaping rules, on records written by {@link BinXmlWriter}. */
class EventShapeTest {
    @TempDir
    Path dir;

    private Map<String, Object> readOne(Consumer<BinXmlWriter> record) throws IOException {
        Read read = SampleFiles.read(SampleFiles.write(dir, "t.evtx", BinXmlWriter.file(List.of(record))));
        assertThat(read.problems().problems()).isEmpty();
        assertThat(read.records()).hasSize(1);
        return read.records().get(0).event();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... path) {
        Map<String, Object> m = map;
        for (String key : path) {
            m = (Map<String, Object>) m.get(key);
        }
        return m;
    }

    @Test
    void everyValueTypeIsRenderedAsEvtxDumpDoes() throws IOException {
        byte[] guid = HexFormat.of().parseHex("5F387057 2AC2 E043 BF4C 06F5698FFBD9".replace(" ", ""));
        byte[] systemtime = new byte[16];
        java.nio.ByteBuffer.wrap(systemtime)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 2024)
                .putShort((short) 2)
                .putShort((short) 4)
                .putShort((short) 29)
                .putShort((short) 23)
                .putShort((short) 5)
                .putShort((short) 9)
                .putShort((short) 7);
        byte[] sid = HexFormat.of().parseHex("0101000000000005" + "12000000");
        byte[] sid2 = HexFormat.of().parseHex("010200000000000520000000" + "20020000");
        List<Object[]> cases = List.of(
                new Object[] {"String", string("text with trailing spaces  "), "text with trailing spaces"},
                new Object[] {"Ansi", value(0x02, "ansi\0".getBytes(StandardCharsets.ISO_8859_1)), "ansi"},
                new Object[] {"Int8", le(0x03, 1, -5), -5L},
                new Object[] {"UInt8", le(0x04, 1, 250), 250L},
                new Object[] {"Int16", le(0x05, 2, -300), -300L},
                new Object[] {"UInt16", le(0x06, 2, 65000), 65000L},
                new Object[] {"Int32", le(0x07, 4, -70000), -70000L},
                new Object[] {"UInt32", le(0x08, 4, 4_000_000_000L), 4_000_000_000L},
                new Object[] {"Int64", le(0x09, 8, -1L << 40), -1L << 40},
                new Object[] {"UInt64", le(0x0a, 8, 1L << 40), 1L << 40},
                new Object[] {"UInt64Big", le(0x0a, 8, -1L), "18446744073709551615"},
                new Object[] {"Real32", le(0x0b, 4, Float.floatToIntBits(1.5f)), 1.5},
                new Object[] {"Real64", le(0x0c, 8, Double.doubleToLongBits(-2.25)), -2.25},
                new Object[] {"Bool", le(0x0d, 4, 1), true},
                new Object[] {"BoolFalse", le(0x0d, 4, 0), false},
                new Object[] {"Binary", value(0x0e, new byte[] {0x0a, (byte) 0xbc, 0}), "0ABC00"},
                new Object[] {"Guid", value(0x0f, guid), "5770385F-C22A-43E0-BF4C-06F5698FFBD9"},
                new Object[] {"SizeT", le(0x10, 8, 0x1f), "0x1f"},
                new Object[] {"FileTime", le(0x11, 8, 134086074879276937L), "2025-11-26T05:11:27.927693Z"},
                new Object[] {"SysTime", value(0x12, systemtime), "2024-02-29T23:05:09.007000Z"},
                new Object[] {"Sid", value(0x13, sid), "S-1-5-18"},
                new Object[] {"HexInt32", le(0x14, 4, 0xc0000022L), "0xc0000022"},
                new Object[] {"HexInt64", le(0x15, 8, 0x8000000000000000L), "0x8000000000000000"},
                new Object[] {
                    "StringArray", value(0x81, "a\0bc\0".getBytes(StandardCharsets.UTF_16LE)), List.of("a", "bc")
                },
                new Object[] {"UInt16Array", value(0x86, new byte[] {1, 0, 2, 0}), List.of(1L, 2L)},
                new Object[] {"GuidArray", value(0x8f, guid), List.of("5770385F-C22A-43E0-BF4C-06F5698FFBD9")},
                new Object[] {"SidArray", value(0x93, concat(sid, sid2)), List.of("S-1-5-18", "S-1-5-32-544")},
                new Object[] {"HexInt32Array", value(0x94, new byte[] {0x10, 0, 0, 0}), List.of("0x10")},
                new Object[] {"Null", value(0x00, new byte[0]), ""},
                new Object[] {"EmptyString", value(0x01, new byte[0]), ""});
        List<Value> values = new ArrayList<>();
        cases.forEach(c -> values.add((Value) c[1]));

        Map<String, Object> event = readOne(w -> w.fragmentHeader()
                .templateInstance(
                        t -> {
                            t.open("Event", false)
                                    .closeStart()
                                    .open("EventData", false)
                                    .closeStart();
                            for (int i = 0; i < cases.size(); i++) {
                                t.data((String) cases.get(i)[0], i, ((Value) cases.get(i)[1]).type());
                            }
                            t.end().end();
                        },
                        values)
                .eos());

        Map<String, Object> expected = new LinkedHashMap<>();
        cases.forEach(c -> expected.put((String) c[0], c[2]));
        assertThat(at(event, "Event", "EventData")).containsExactlyEntriesOf(expected);
    }

    @Test
    void systemElementsAttributesTextAndEmptiesFollowEvtxDump() throws IOException {
        Map<String, Object> event = readOne(w -> w.fragmentHeader()
                .templateInstance(
                        t -> t.open("Event", true)
                                .attribute("xmlns")
                                .text("http://schemas.microsoft.com/win/2004/08/events/event")
                                .closeStart()
                                .open("System", false)
                                .closeStart()
                                .open("Provider", true)
                                .attribute("Name")
                                .text("P")
                                .attribute("Guid")
                                .substitution(0, 0x0f, true)
                                .closeEmpty()
                                .open("EventID", true)
                                .attribute("Qualifiers")
                                .substitution(1, 0x06, true)
                                .closeStart()
                                .substitution(2, 0x06, false)
                                .end()
                                .substituted("Level", 3, 0x04)
                                .open("Correlation", true)
                                .attribute("ActivityID")
                                .substitution(4, 0x0f, true)
                                .closeEmpty()
                                .open("Execution", true)
                                .attribute("ProcessID")
                                .substitution(5, 0x08, false)
                                .closeEmpty()
                                .open("Keywords", false)
                                .closeStart()
                                .substitution(6, 0x15, false)
                                .end()
                                .end()
                                .end(),
                        List.of(
                                value(0x00, new byte[0]),
                                le(0x06, 2, 16384),
                                le(0x06, 2, 4624),
                                le(0x04, 1, 0),
                                value(0x00, new byte[0]),
                                le(0x08, 4, 4),
                                le(0x15, 8, 0x8020000000000000L)))
                .eos());

        Map<String, Object> system = at(event, "Event", "System");
        assertThat(at(event, "Event").get("#attributes"))
                .isEqualTo(Map.of("xmlns", "http://schemas.microsoft.com/win/2004/08/events/event"));
        assertThat(system.get("Provider")).isEqualTo(Map.of("#attributes", Map.of("Name", "P")));
        assertThat(system.get("EventID"))
                .isEqualTo(Map.of("#attributes", Map.of("Qualifiers", 16384L), "#text", 4624L));
        assertThat(system).containsEntry("Level", 0L).containsEntry("Correlation", null);
        assertThat(system.get("Execution")).isEqualTo(Map.of("#attributes", Map.of("ProcessID", 4L)));
        assertThat(system).containsEntry("Keywords", "0x8020000000000000");
    }

    @Test
    void dataWithoutNamesBecomesATextList() throws IOException {
        Map<String, Object> event = readOne(w -> w.fragmentHeader()
                .templateInstance(
                        t -> t.open("Event", false)
                                .closeStart()
                                .open("EventData", false)
                                .closeStart()
                                .substituted("Data", 0, 0x01)
                                .substituted("Data", 1, 0x01)
                                .open("Data", false)
                                .closeEmpty()
                                .substituted("Binary", 2, 0x0e)
                                .end()
                                .end(),
                        List.of(string("first"), string("second"), value(0x0e, new byte[] {1, 2})))
                .eos());
        assertThat(at(event, "Event", "EventData"))
                .containsExactlyEntriesOf(
                        orderedMap("Data", Map.of("#text", List.of("first", "second", "")), "Binary", "0102"));

        Map<String, Object> single = readOne(w -> w.fragmentHeader()
                .open("Event", false)
                .closeStart()
                .open("EventData", false)
                .closeStart()
                .element("Data", "only")
                .end()
                .end()
                .eos());
        assertThat(at(single, "Event", "EventData")).isEqualTo(Map.of("Data", Map.of("#text", "only")));
    }

    @Test
    void repeatedElementsGetSuffixesAndUserDataKeepsItsTree() throws IOException {
        Map<String, Object> event = readOne(w -> w.fragmentHeader()
                .open("Event", false)
                .closeStart()
                .open("UserData", false)
                .closeStart()
                .open("LogFileCleared", true)
                .attribute("xmlns")
                .text("urn:x")
                .closeStart()
                .element("Item", "a")
                .element("Item", "b")
                .element("Item", "c")
                .element("SubjectUserName", "bob")
                .open("Empty", false)
                .closeEmpty()
                .end()
                .end()
                .end()
                .eos());
        assertThat(at(event, "Event", "UserData", "LogFileCleared"))
                .containsExactlyEntriesOf(orderedMap(
                        "#attributes", Map.of("xmlns", "urn:x"),
                        "Item", "a",
                        "Item_1", "b",
                        "Item_2", "c",
                        "SubjectUserName", "bob",
                        "Empty", null));
    }

    @Test
    void mixedContentReferencesCdataAndProcessingInstructions() throws IOException {
        Map<String, Object> event = readOne(w -> w.fragmentHeader()
                .open("Event", false)
                .closeStart()
                .open("Message", false)
                .closeStart()
                .text("a")
                .charRef(60)
                .entityRef("amp")
                .cdata("<c>")
                .processingInstruction("pi", "data")
                .end()
                .open("Mixed", true)
                .attribute("A")
                .text("1")
                .closeStart()
                .text("t")
                .element("Child", "c")
                .end()
                .end()
                .eos());
        assertThat(at(event, "Event"))
                .containsExactlyEntriesOf(orderedMap(
                        "Message",
                        "a&#60;&amp;<c>",
                        "Mixed",
                        orderedMap("#attributes", Map.of("A", "1"), "#text", "t", "Child", "c")));
    }

    @Test
    void embeddedBinXmlBecomesANestedTree() throws IOException {
        Map<String, Object> event = readOne(w -> {
            w.fragmentHeader();
            // The embedded fragment's offsets depend on where its value lands; write it at the position it will have.
            int[] valueAt = {0};
            BinXmlWriter probe = new BinXmlWriter(w.position(), false);
            probe.templateInstance(t -> nestedTemplate(t), List.of(value(0x21, new byte[0])));
            valueAt[0] = w.position() + probe.bytes().length;
            Value nested = BinXmlWriter.binxml(
                    valueAt[0],
                    e -> e.open("Inner", true)
                            .attribute("Id")
                            .text("7")
                            .closeStart()
                            .element("Leaf", "x")
                            .end()
                            .eos());
            w.templateInstance(t -> nestedTemplate(t), List.of(nested)).eos();
        });
        assertThat(at(event, "Event", "UserData"))
                .isEqualTo(Map.of("Inner", orderedMap("#attributes", Map.of("Id", "7"), "Leaf", "x")));
    }

    private static void nestedTemplate(BinXmlWriter t) {
        t.open("Event", false)
                .closeStart()
                .open("UserData", false)
                .closeStart()
                .substitution(0, 0x21, true)
                .end()
                .end();
    }

    @Test
    void templatesAreSharedByOffsetAcrossRecordsOfAChunk() throws IOException {
        // The second record refers to the first record's template definition by its chunk offset.
        int[] definitionOffset = {0};
        Consumer<BinXmlWriter> first = w -> {
            w.fragmentHeader();
            definitionOffset[0] = w.position() + 10;
            w.templateInstance(
                            t -> t.open("Event", false)
                                    .closeStart()
                                    .substituted("N", 0, 0x08)
                                    .end(),
                            List.of(le(0x08, 4, 1)))
                    .eos();
        };
        Consumer<BinXmlWriter> second = w -> w.fragmentHeader()
                .u8(0x0c)
                .u8(1)
                .u32(7)
                .u32(definitionOffset[0])
                .u32(1)
                .u16(4)
                .u8(0x08)
                .u8(0)
                .u32(2)
                .eos();
        Read read = SampleFiles.read(SampleFiles.write(dir, "shared.evtx", BinXmlWriter.file(List.of(first, second))));
        assertThat(read.problems().problems()).isEmpty();
        assertThat(read.records())
                .extracting(EvtxRecord::event)
                .containsExactly(Map.of("Event", Map.of("N", 1L)), Map.of("Event", Map.of("N", 2L)));
        assertThat(read.records()).extracting(EvtxRecord::recordId).containsExactly(1L, 2L);
        assertThat(read.records().get(0).written())
                .isEqualTo(java.time.Instant.parse("2025-11-26T05:11:27.927693800Z"));
    }

    @Test
    void aTemplateLargerThanItsChunkIsReported() throws IOException {
        Consumer<BinXmlWriter> record = w -> w.fragmentHeader()
                .u8(0x0c)
                .u8(1)
                .u32(7)
                .u32(600) // points into this record, at a "definition" claiming a huge size
                .eos();
        byte[] file = BinXmlWriter.file(List.of(record));
        java.nio.ByteBuffer.wrap(file)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(EvtxReader.FILE_HEADER_SIZE + 600 + 20, 1 << 20);
        SampleFiles.fixChunkCrcs(file, 0);
        Read read = SampleFiles.read(SampleFiles.write(dir, "big.evtx", file));
        assertThat(read.records()).isEmpty();
        assertThat(read.problems().problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(1);
            assertThat(p.message()).contains("record 1").contains("template");
        });
    }

    @Test
    void deepNestingIsReportedNotOverflowed() throws IOException {
        Consumer<BinXmlWriter> record = w -> {
            w.fragmentHeader();
            for (int i = 0; i < 2000; i++) {
                w.open("E", false).closeStart();
            }
            for (int i = 0; i < 2000; i++) {
                w.end();
            }
            w.eos();
        };
        Read read = SampleFiles.read(SampleFiles.write(dir, "deep.evtx", BinXmlWriter.file(List.of(record))));
        assertThat(read.records()).isEmpty();
        assertThat(read.problems().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("nested deeper"));
    }

    @Test
    void aTemplateThatInstantiatesItselfIsReported() throws IOException {
        Consumer<BinXmlWriter> record = w -> {
            w.fragmentHeader().u8(0x0c).u8(1).u32(7);
            int definition = w.position() + 4;
            w.u32(definition);
            BinXmlWriter body = new BinXmlWriter(definition + 24, true);
            body.fragmentHeader().u8(0x0c).u8(1).u32(7).u32(definition).u32(0).eos();
            byte[] data = body.bytes();
            w.u32(0).raw(new byte[16]).u32(data.length).raw(data).u32(0).eos();
        };
        Read read = SampleFiles.read(SampleFiles.write(dir, "self.evtx", BinXmlWriter.file(List.of(record))));
        assertThat(read.records()).isEmpty();
        assertThat(read.problems().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("record 1").contains("nested deeper"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Map<String, Object> orderedMap(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
