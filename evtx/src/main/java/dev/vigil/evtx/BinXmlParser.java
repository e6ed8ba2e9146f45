package dev.vigil.evtx;

import dev.vigil.evtx.Nodes.Attribute;
import dev.vigil.evtx.Nodes.CharRef;
import dev.vigil.evtx.Nodes.Element;
import dev.vigil.evtx.Nodes.Embedded;
import dev.vigil.evtx.Nodes.EntityRef;
import dev.vigil.evtx.Nodes.Substitution;
import dev.vigil.evtx.Nodes.Template;
import dev.vigil.evtx.Nodes.TemplateInstance;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the BinXML of one chunk into {@link Nodes}. Names and template definitions are cached per chunk by their
 * chunk offset; {@link #reset} starts a new chunk. All offsets are relative to the chunk start, as BinXML's are. Every
 * read is bounds-checked against the current fragment or the chunk, and nesting is bounded, so corrupt input ends in
 * a {@link CorruptDataException}, never a loop or an overflow.
 */
final class BinXmlParser {
    static final int MAX_ELEMENT_DEPTH = 64;
    static final int MAX_FRAGMENT_DEPTH = 16;

    private static final Charset ANSI = StandardCharsets.ISO_8859_1;
    private static final Object[] NO_VALUES = new Object[0];

    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, Template> templates = new HashMap<>();
    private char[] chars = new char[256];
    private byte[] buf = new byte[0];
    /** Bytes of the chunk available (less than 64 KiB for a truncated last chunk). */
    private int limit;
    /** Position and end of the fragment being parsed. */
    private int pos;

    private int end;

    void reset(byte[] chunk, int available) {
        this.buf = chunk;
        this.limit = available;
        names.clear();
        templates.clear();
    }

    /** Parses a record's BinXML at {@code [start, stop)}. */
    List<Object> parseRecord(int start, int stop) throws CorruptDataException {
        // Elements outside template definitions normally omit the dependency identifier; some writers keep it.
        try {
            return parseFragment(start, stop, false, 0);
        } catch (CorruptDataException | RuntimeException first) {
            try {
                return parseFragment(start, stop, true, 0);
            } catch (CorruptDataException | RuntimeException ignored) {
                if (first instanceof CorruptDataException c) {
                    throw c;
                }
                throw new CorruptDataException(describe((RuntimeException) first));
            }
        }
    }

    static String describe(RuntimeException e) {
        return "malformed BinXML (" + e.getClass().getSimpleName() + ")";
    }

    private List<Object> parseFragment(int start, int stop, boolean dependencyId, int depth)
            throws CorruptDataException {
        if (depth > MAX_FRAGMENT_DEPTH) {
            throw new CorruptDataException("BinXML nested deeper than " + MAX_FRAGMENT_DEPTH + " fragments");
        }
        if (start < 0 || stop > limit || start > stop) {
            throw new CorruptDataException("BinXML fragment outside its chunk");
        }
        int savedPos = pos;
        int savedEnd = end;
        pos = start;
        end = stop;
        try {
            return parseTokens(dependencyId, depth);
        } finally {
            pos = savedPos;
            end = savedEnd;
        }
    }

    private List<Object> parseTokens(boolean dependencyId, int depth) throws CorruptDataException {
        List<Object> top = new ArrayList<>(2);
        Element[] stack = new Element[16];
        int sp = 0;
        Attribute attribute = null;
        while (pos < end) {
            int token = buf[pos++] & 0xff;
            boolean more = (token & 0x40) != 0;
            if (token > 0x4f || (token > 0x0f && token < 0x40)) {
                throw new CorruptDataException(
                        String.format("unknown BinXML token 0x%02x at chunk offset %d", token, pos - 1));
            }
            switch (token & 0x0f) {
                case 0x00 -> {
                    if (sp != 0) {
                        throw new CorruptDataException("BinXML ended inside element <" + stack[sp - 1].name + ">");
                    }
                    return top;
                }
                case 0x01 -> {
                    if (dependencyId) {
                        need(2);
                        pos += 2;
                    }
                    need(4);
                    pos += 4; // data size
                    String name = readName();
                    if (more) {
                        need(4);
                        pos += 4; // attribute list size
                    }
                    Element element = new Element(name);
                    add(top, stack, sp, null, element);
                    if (sp == MAX_ELEMENT_DEPTH) {
                        throw new CorruptDataException("elements nested deeper than " + MAX_ELEMENT_DEPTH);
                    }
                    if (sp == stack.length) {
                        stack = java.util.Arrays.copyOf(stack, sp * 2);
                    }
                    stack[sp++] = element;
                    attribute = null;
                }
                case 0x02 -> attribute = null;
                case 0x03, 0x04 -> {
                    if (sp == 0) {
                        throw new CorruptDataException("BinXML closes an element that is not open");
                    }
                    stack[--sp] = null;
                    attribute = null;
                }
                case 0x05 -> {
                    need(1);
                    int type = buf[pos++] & 0xff;
                    if (type != 0x01) {
                        throw new CorruptDataException(String.format("value text of type 0x%02x", type));
                    }
                    add(top, stack, sp, attribute, trimEnd(readPrefixedString()));
                }
                case 0x06 -> {
                    if (sp == 0) {
                        throw new CorruptDataException("attribute outside an element");
                    }
                    attribute = new Attribute(readName(), new ArrayList<>(1));
                    stack[sp - 1].attributes.add(attribute);
                }
                case 0x07 -> add(top, stack, sp, attribute, readPrefixedString());
                case 0x08 -> {
                    need(2);
                    add(top, stack, sp, attribute, new CharRef(Le.u16(buf, pos)));
                    pos += 2;
                }
                case 0x09 -> add(top, stack, sp, attribute, new EntityRef(readName()));
                case 0x0a -> readName(); // processing instruction target: not rendered in JSON
                case 0x0b -> readPrefixedString(); // processing instruction data: not rendered in JSON
                case 0x0c -> add(top, stack, sp, attribute, readTemplateInstance(depth));
                case 0x0d, 0x0e -> {
                    need(3);
                    int index = Le.u16(buf, pos);
                    pos += 3; // index and value type; the instance's descriptor gives the actual type
                    add(top, stack, sp, attribute, new Substitution(index, (token & 0x0f) == 0x0e));
                }
                case 0x0f -> {
                    need(3);
                    pos += 3; // fragment header: major, minor, flags
                }
                default -> throw new AssertionError(token);
            }
        }
        if (sp != 0) {
            throw new CorruptDataException("BinXML ended inside element <" + stack[sp - 1].name + ">");
        }
        return top;
    }

    private static void add(List<Object> top, Element[] stack, int sp, Attribute attribute, Object node) {
        if (attribute != null) {
            attribute.value().add(node);
        } else if (sp > 0) {
            stack[sp - 1].children.add(node);
        } else {
            top.add(node);
        }
    }

    private void need(int n) throws CorruptDataException {
        if (n < 0 || pos + n > end) {
            throw new CorruptDataException("BinXML runs past its end at chunk offset " + pos);
        }
    }

    private String readPrefixedString() throws CorruptDataException {
        need(2);
        int count = Le.u16(buf, pos);
        pos += 2;
        need(2 * count);
        String s = utf16(pos, count, false);
        pos += 2 * count;
        return s;
    }

    private String readName() throws CorruptDataException {
        need(4);
        long offset = Le.u32(buf, pos);
        pos += 4;
        if (offset == pos) {
            // Defined inline: next-string offset, hash, count, characters, NUL.
            String name = nameAt((int) offset);
            need(8 + 2 * Le.u16(buf, pos + 6) + 2);
            pos += 8 + 2 * Le.u16(buf, pos + 6) + 2;
            return name;
        }
        if (offset > limit) {
            throw new CorruptDataException("name offset " + offset + " outside the chunk");
        }
        return nameAt((int) offset);
    }

    private String nameAt(int offset) throws CorruptDataException {
        String cached = names.get(offset);
        if (cached != null) {
            return cached;
        }
        if (offset < 0 || offset + 8 > limit) {
            throw new CorruptDataException("name offset " + offset + " outside the chunk");
        }
        int count = Le.u16(buf, offset + 6);
        if (offset + 8 + 2 * count > limit) {
            throw new CorruptDataException("name at chunk offset " + offset + " runs past the chunk");
        }
        String name = utf16(offset + 8, count, false);
        names.put(offset, name);
        return name;
    }

    private TemplateInstance readTemplateInstance(int depth) throws CorruptDataException {
        need(9);
        long definition = Le.u32(buf, pos + 5);
        pos += 9; // unknown byte, template id, definition offset
        Template template;
        if (definition == pos) {
            need(24);
            long size = Le.u32(buf, pos + 20);
            if (size > end - pos - 24) {
                throw new CorruptDataException("inline template definition larger than its record");
            }
            template = template(definition, depth);
            pos += 24 + (int) size;
        } else {
            template = template(definition, depth);
        }
        need(4);
        long count = Le.u32(buf, pos);
        pos += 4;
        if (count > (end - pos) / 4) {
            throw new CorruptDataException("substitution count " + count + " larger than its record");
        }
        int descriptors = pos;
        pos += 4 * (int) count;
        Object[] values = count == 0 ? NO_VALUES : new Object[(int) count];
        for (int i = 0; i < count; i++) {
            int size = Le.u16(buf, descriptors + 4 * i);
            int type = Le.u8(buf, descriptors + 4 * i + 2);
            need(size);
            values[i] = readValue(type, pos, size, depth);
            pos += size;
        }
        return new TemplateInstance(template, values);
    }

    private Template template(long offset, int depth) throws CorruptDataException {
        if (offset < 0 || offset + 24 > limit) {
            throw new CorruptDataException("template offset " + offset + " outside the chunk");
        }
        int at = (int) offset;
        Template cached = templates.get(at);
        if (cached != null) {
            return cached;
        }
        long size = Le.u32(buf, at + 20);
        if (size > limit - at - 24) {
            throw new CorruptDataException("template at chunk offset " + at + " larger than its chunk (" + size + ")");
        }
        Template template = new Template(parseFragment(at + 24, at + 24 + (int) size, true, depth + 1));
        templates.put(at, template);
        return template;
    }

    /** Decodes a substitution value of {@code type} and {@code size} bytes at {@code p} (bounds already checked). */
    private Object readValue(int type, int p, int size, int depth) throws CorruptDataException {
        switch (type) {
            case 0x00 -> {
                return "";
            }
            case 0x01 -> {
                return trimEnd(utf16(p, size / 2, true));
            }
            case 0x02 -> {
                return ansi(p, size);
            }
            case 0x0e -> {
                return Formats.hex(buf, p, size);
            }
            case 0x13 -> {
                if (Formats.sidLength(buf, p, size) < 0) {
                    throw new CorruptDataException("SID value of " + size + " bytes");
                }
                return Formats.sid(buf, p);
            }
            case 0x10 -> {
                return size == 4 ? Formats.hexInt(Le.u32(buf, p)) : Formats.hexInt(fixed(0x10, p, size, 8));
            }
            case 0x20, 0x23 -> {
                return ""; // EvtHandle and EvtXml carry nothing renderable
            }
            case 0x21 -> {
                return size == 0 ? "" : new Embedded(parseEmbedded(p, p + size, depth + 1));
            }
            case 0x81 -> {
                return stringArray(p, size);
            }
            default -> {
                // fixed-width scalars and arrays below
            }
        }
        if ((type & 0x80) != 0) {
            int elementType = type & 0x7f;
            int width = width(elementType);
            if (width == 0) {
                if (elementType == 0x13) {
                    return sidArray(p, size);
                }
                throw new CorruptDataException(String.format("unsupported array value type 0x%02x", type));
            }
            List<Object> items = new ArrayList<>(size / width);
            for (int at = p; at + width <= p + size; at += width) {
                items.add(scalar(elementType, at, width));
            }
            return items;
        }
        int width = width(type);
        if (width == 0) {
            throw new CorruptDataException(String.format("unknown value type 0x%02x", type));
        }
        if (type == 0x0d) {
            // bool: normally 4 bytes; accept any width, true when any byte is set
            for (int i = 0; i < size; i++) {
                if (buf[p + i] != 0) {
                    return true;
                }
            }
            return false;
        }
        if (size < width) {
            throw new CorruptDataException(String.format("value of type 0x%02x has %d bytes", type, size));
        }
        return scalar(type, p, width);
    }

    private List<Object> parseEmbedded(int start, int stop, int depth) throws CorruptDataException {
        try {
            return parseFragment(start, stop, false, depth);
        } catch (CorruptDataException | RuntimeException first) {
            return parseFragment(start, stop, true, depth);
        }
    }

    private static int width(int type) {
        return switch (type) {
            case 0x03, 0x04 -> 1;
            case 0x05, 0x06 -> 2;
            case 0x07, 0x08, 0x0b, 0x0d, 0x14 -> 4;
            case 0x09, 0x0a, 0x0c, 0x11, 0x15 -> 8;
            case 0x0f, 0x12 -> 16;
            default -> 0;
        };
    }

    private long fixed(int type, int p, int size, int width) throws CorruptDataException {
        if (size < width) {
            throw new CorruptDataException(String.format("value of type 0x%02x has %d bytes", type, size));
        }
        return Le.i64(buf, p);
    }

    private Object scalar(int type, int p, int width) {
        return switch (type) {
            case 0x03 -> (long) buf[p];
            case 0x04 -> (long) (buf[p] & 0xff);
            case 0x05 -> (long) Le.i16(buf, p);
            case 0x06 -> (long) Le.u16(buf, p);
            case 0x07 -> (long) Le.i32(buf, p);
            case 0x08 -> Le.u32(buf, p);
            case 0x09 -> Le.i64(buf, p);
            case 0x0a -> unsigned64(Le.i64(buf, p));
            case 0x0b -> Double.parseDouble(Float.toString(Float.intBitsToFloat(Le.i32(buf, p))));
            case 0x0c -> Double.longBitsToDouble(Le.i64(buf, p));
            case 0x0d -> Le.i32(buf, p) != 0;
            case 0x0f -> Formats.guid(buf, p);
            case 0x11 -> Formats.filetime(Le.i64(buf, p));
            case 0x12 -> Formats.systemtime(buf, p);
            case 0x14 -> Formats.hexInt(Le.u32(buf, p));
            case 0x15 -> Formats.hexInt(Le.i64(buf, p));
            default -> throw new AssertionError(type + " of width " + width);
        };
    }

    /** A u64: a Long when it fits, else its decimal text (Vigil's values have no unsigned 64-bit type). */
    private static Object unsigned64(long v) {
        return v >= 0 ? (Object) v : Long.toUnsignedString(v);
    }

    private List<Object> stringArray(int p, int size) {
        List<Object> items = new ArrayList<>();
        int count = size / 2;
        int start = 0;
        for (int i = 0; i < count; i++) {
            if (buf[p + 2 * i] == 0 && buf[p + 2 * i + 1] == 0) {
                items.add(utf16(p + 2 * start, i - start, false));
                start = i + 1;
            }
        }
        if (start < count) {
            items.add(utf16(p + 2 * start, count - start, false));
        }
        return items;
    }

    private List<Object> sidArray(int p, int size) throws CorruptDataException {
        List<Object> items = new ArrayList<>();
        int at = p;
        while (at < p + size) {
            int length = Formats.sidLength(buf, at, p + size - at);
            if (length < 0) {
                throw new CorruptDataException("SID array value of " + size + " bytes");
            }
            items.add(Formats.sid(buf, at));
            at += length;
        }
        return items;
    }

    /** Without trailing white space, as evtx_dump renders string values. */
    static String trimEnd(String s) {
        int n = s.length();
        while (n > 0 && isWhiteSpace(s.charAt(n - 1))) {
            n--;
        }
        return n == s.length() ? s : s.substring(0, n);
    }

    /** Unicode White_Space (Rust's {@code char::is_whitespace}). */
    private static boolean isWhiteSpace(char c) {
        return Character.isWhitespace(c) || c == '\u0085' || c == '\u00a0' || c == '\u2007' || c == '\u202f';
    }

    private String ansi(int p, int size) {
        int n = 0;
        while (n < size && buf[p + n] != 0) {
            n++;
        }
        return trimEnd(new String(buf, p, n, ANSI));
    }

    /** {@code count} UTF-16LE code units at {@code p}; with {@code stopAtNul}, up to the first NUL. */
    private String utf16(int p, int count, boolean stopAtNul) {
        if (count == 0) {
            return "";
        }
        if (chars.length < count) {
            chars = new char[Math.max(count, chars.length * 2)];
        }
        char[] c = chars;
        byte[] b = buf;
        int n = 0;
        for (int i = 0, at = p; i < count; i++, at += 2) {
            char ch = (char) ((b[at] & 0xff) | (b[at + 1] << 8));
            if (ch == 0 && stopAtNul) {
                break;
            }
            c[n++] = ch;
        }
        return new String(c, 0, n);
    }
}
