package dev.vigil.evtx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Writes BinXML, records, chunks and files for tests, so every token and value type can be exercised with known
 * content. Names are always written inline; offsets are chunk-relative, as in real files.
 */
final class BinXmlWriter {
    /** A substitution value: its BinXML type and raw bytes. */
    static final class Value {
        private final int type;
        private final byte[] bytes;

        Value(int type, byte[] bytes) {
            this.type = type;
            this.bytes = bytes.clone();
        }

        int type() {
            return type;
        }

        byte[] bytes() {
            return bytes.clone();
        }
    }

    private final int base;
    private final boolean dependencyIds;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /**
     * @param base the chunk offset the first byte will have
     * @param dependencyIds whether open-element tokens carry a dependency id (they do inside template definitions)
     */
    BinXmlWriter(int base, boolean dependencyIds) {
        this.base = base;
        this.dependencyIds = dependencyIds;
    }

    int position() {
        return base + out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    BinXmlWriter u8(int v) {
        out.write(v);
        return this;
    }

    BinXmlWriter u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    BinXmlWriter u32(long v) {
        return u16((int) (v & 0xffff)).u16((int) (v >>> 16));
    }

    BinXmlWriter raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    private BinXmlWriter utf16(String s) {
        return raw(s.getBytes(StandardCharsets.UTF_16LE));
    }

    private BinXmlWriter name(String name) {
        u32(position() + 4);
        u32(0).u16(0).u16(name.length()).utf16(name).u16(0);
        return this;
    }

    BinXmlWriter fragmentHeader() {
        return u8(0x0f).u8(1).u8(1).u8(0);
    }

    BinXmlWriter open(String name, boolean hasAttributes) {
        u8(hasAttributes ? 0x41 : 0x01);
        if (dependencyIds) {
            u16(0xffff);
        }
        u32(0).name(name);
        return hasAttributes ? u32(0) : this;
    }

    BinXmlWriter attribute(String name) {
        return u8(0x06).name(name);
    }

    BinXmlWriter text(String s) {
        return u8(0x05).u8(0x01).u16(s.length()).utf16(s);
    }

    BinXmlWriter cdata(String s) {
        return u8(0x07).u16(s.length()).utf16(s);
    }

    BinXmlWriter charRef(int c) {
        return u8(0x08).u16(c);
    }

    BinXmlWriter entityRef(String name) {
        return u8(0x09).name(name);
    }

    BinXmlWriter processingInstruction(String target, String data) {
        return u8(0x0a).name(target).u8(0x0b).u16(data.length()).utf16(data);
    }

    BinXmlWriter closeStart() {
        return u8(0x02);
    }

    BinXmlWriter closeEmpty() {
        return u8(0x03);
    }

    BinXmlWriter end() {
        return u8(0x04);
    }

    BinXmlWriter eos() {
        return u8(0x00);
    }

    BinXmlWriter substitution(int index, int type, boolean optional) {
        return u8(optional ? 0x0e : 0x0d).u16(index).u8(type);
    }

    /** {@code <name>text</name>}. */
    BinXmlWriter element(String name, String text) {
        return open(name, false).closeStart().text(text).end();
    }

    /** {@code <name>%index%</name>} with a normal substitution. */
    BinXmlWriter substituted(String name, int index, int type) {
        return open(name, false).closeStart().substitution(index, type, false).end();
    }

    /** {@code <Data Name="name">%index%</Data>} with an optional substitution. */
    BinXmlWriter data(String name, int index, int type) {
        return open("Data", true)
                .attribute("Name")
                .text(name)
                .closeStart()
                .substitution(index, type, true)
                .end();
    }

    /** A template instance whose definition (fragment header, {@code body}, end of stream) is written inline. */
    BinXmlWriter templateInstance(Consumer<BinXmlWriter> body, List<Value> values) {
        u8(0x0c).u8(1).u32(7);
        u32(position() + 4); // the definition follows inline
        int dataStart = position() + 4 + 16 + 4;
        BinXmlWriter definition = new BinXmlWriter(dataStart, true);
        definition.fragmentHeader();
        body.accept(definition);
        definition.eos();
        byte[] data = definition.bytes();
        u32(0).raw(new byte[16]).u32(data.length).raw(data);
        u32(values.size());
        for (Value v : values) {
            u16(v.bytes().length).u8(v.type()).u8(0);
        }
        for (Value v : values) {
            raw(v.bytes());
        }
        return this;
    }

    static Value value(int type, byte[] bytes) {
        return new Value(type, bytes);
    }

    static Value string(String s) {
        return value(0x01, (s + "\0").getBytes(StandardCharsets.UTF_16LE));
    }

    static Value le(int type, int width, long v) {
        ByteBuffer b = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) v);
            case 4 -> b.putInt((int) v);
            default -> b.putLong(v);
        }
        return value(type, b.array());
    }

    static Value binxml(int base, Consumer<BinXmlWriter> content) {
        BinXmlWriter w = new BinXmlWriter(base, false);
        content.accept(w);
        return value(0x21, w.bytes());
    }

    /** A complete EVTX file with one chunk holding one record per BinXML body (built by {@code records}). */
    static byte[] file(List<Consumer<BinXmlWriter>> records) {
        byte[] chunk = new byte[EvtxReader.CHUNK_SIZE];
        ByteBuffer c = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        int offset = EvtxReader.CHUNK_HEADER_SIZE;
        long id = 1;
        List<Integer> offsets = new ArrayList<>();
        for (Consumer<BinXmlWriter> body : records) {
            BinXmlWriter w = new BinXmlWriter(offset + 24, false);
            body.accept(w);
            byte[] xml = w.bytes();
            int size = 24 + xml.length + 4;
            c.putInt(offset, 0x00002a2a).putInt(offset + 4, size).putLong(offset + 8, id);
            c.putLong(offset + 16, 134086074879276937L + id);
            System.arraycopy(xml, 0, chunk, offset + 24, xml.length);
            c.putInt(offset + size - 4, size);
            offsets.add(offset);
            offset += size;
            id++;
        }
        c.put(0, "ElfChnk\0".getBytes(StandardCharsets.ISO_8859_1));
        c.putLong(8, 1).putLong(16, id - 1).putLong(24, 1).putLong(32, id - 1);
        c.putInt(40, 128).putInt(44, offsets.get(offsets.size() - 1)).putInt(48, offset);
        CRC32 crc = new CRC32();
        crc.update(chunk, 512, offset - 512);
        c.putInt(52, (int) crc.getValue());
        crc.reset();
        crc.update(chunk, 0, 120);
        crc.update(chunk, 128, 384);
        c.putInt(124, (int) crc.getValue());

        byte[] file = new byte[EvtxReader.FILE_HEADER_SIZE + chunk.length];
        ByteBuffer f = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        f.put(0, "ElfFile\0".getBytes(StandardCharsets.ISO_8859_1));
        f.putLong(16, 0).putLong(24, id).putInt(32, 128).putShort(36, (short) 1).putShort(38, (short) 3);
        f.putShort(40, (short) 4096).putShort(42, (short) 1);
        System.arraycopy(chunk, 0, file, EvtxReader.FILE_HEADER_SIZE, chunk.length);
        SampleFiles.fixFileHeaderCrc(file);
        return file;
    }
}
