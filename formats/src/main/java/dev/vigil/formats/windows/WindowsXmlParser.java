package dev.vigil.formats.windows;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.formats.WindowsEventNormalizer;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextParser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Cuts the input into {@code <Event>...</Event>} elements (bounded to {@link #MAX_EVENT_CHARS}) and turns each into the
 * evtx_dump-shaped map {@link WindowsEventNormalizer} reads: children by local name (repeated ones as lists), attributes
 * under {@code #attributes}, text under {@code #text} (or the text itself for an element with nothing else), empty
 * elements {@code null}, and {@code <EventData><Data Name="x">v</Data>} as {@code EventData.x = v} (unnamed {@code
 * Data} as {@code EventData.Data}). XML carries no types, so EventData values are strings (System numbers are typed by
 * the normaliser as for every source).
 *
 * <p>The XML parser is the JDK's StAX with DTDs and external entities disabled: a document type declaration or an
 * entity reference makes the element fail to parse (reported); nothing is ever fetched or expanded. Elements that do
 * not parse, text outside elements and an element cut off at the end of input are reported with their line; the rest
 * of the file is still read.
 */
public final class WindowsXmlParser implements TextParser {
    /** The largest event element accepted, in characters. */
    static final int MAX_EVENT_CHARS = 1 << 20;

    private final TextContext context;
    private final XMLInputFactory factory = secureFactory();
    private final StringBuilder buffer = new StringBuilder();
    private boolean inEvent;
    private boolean skipping;
    private long startLine;

    /** A parser for one file. */
    public WindowsXmlParser(TextContext context) {
        this.context = context;
    }

    /** A StAX factory that cannot resolve DTDs or external entities (XXE-safe). */
    static XMLInputFactory secureFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not resolved: " + systemId);
        });
        return f;
    }

    @Override
    public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
        String rest = line;
        while (true) {
            if (!inEvent) {
                int start = eventStart(rest);
                String before = start < 0 ? rest : rest.substring(0, start);
                if (!ignorable(before)) {
                    problems.report(new Problem(
                            context.source(), lineNumber, "text outside a Windows <Event> element, skipped"));
                }
                if (start < 0) {
                    return;
                }
                inEvent = true;
                skipping = false;
                startLine = lineNumber;
                buffer.setLength(0);
                rest = rest.substring(start);
            }
            int end = rest.indexOf("</Event>");
            int restart = buffer.length() > 0 || skipping ? eventStart(rest) : -1;
            if (restart >= 0 && (end < 0 || restart < end)) {
                // A new event began before this one ended: this one was cut off.
                if (!skipping) {
                    problems.report(
                            new Problem(context.source(), startLine, "Windows XML event truncated (no </Event>)"));
                }
                inEvent = false;
                buffer.setLength(0);
                rest = rest.substring(restart);
                continue;
            }
            String piece = end < 0 ? rest : rest.substring(0, end + "</Event>".length());
            if (!skipping) {
                if (buffer.length() + piece.length() > MAX_EVENT_CHARS) {
                    problems.report(new Problem(
                            context.source(),
                            startLine,
                            "Windows XML event larger than " + MAX_EVENT_CHARS + " characters, skipped"));
                    skipping = true;
                    buffer.setLength(0);
                } else {
                    buffer.append(piece);
                    if (end < 0) {
                        buffer.append('\n');
                    }
                }
            }
            if (end < 0) {
                return;
            }
            inEvent = false;
            if (!skipping) {
                emit(buffer.toString(), out, problems);
            }
            buffer.setLength(0);
            rest = rest.substring(end + "</Event>".length());
        }
    }

    @Override
    public void end(Consumer<Event> out, ProblemSink problems) {
        if (inEvent && !skipping) {
            problems.report(new Problem(context.source(), startLine, "Windows XML event truncated (no </Event>)"));
        }
        inEvent = false;
        buffer.setLength(0);
    }

    private void emit(String xml, Consumer<Event> out, ProblemSink problems) {
        Map<String, Object> event;
        try {
            event = parse(factory, xml);
        } catch (XMLStreamException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ');
            problems.report(new Problem(context.source(), startLine, "invalid Windows event XML: " + why));
            return;
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("Event", event);
        if (!(event.get("System") instanceof Map<?, ?>)) {
            problems.report(new Problem(context.source(), startLine, "Windows event XML without <System>, skipped"));
            return;
        }
        out.accept(WindowsEventNormalizer.normalize(root, context.source(), startLine, context.tenant()));
    }

    /** The evtx_dump-shaped map of one {@code <Event>} element. */
    static Map<String, Object> parse(XMLInputFactory factory, String xml) throws XMLStreamException {
        XMLStreamReader r = factory.createXMLStreamReader(new StringReader(xml));
        try {
            while (r.hasNext()) {
                int type = r.next();
                if (type == XMLStreamConstants.DTD || type == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw new XMLStreamException("DTDs and entity references are not allowed", r.getLocation());
                }
                if (type == XMLStreamConstants.START_ELEMENT) {
                    if (!"Event".equals(r.getLocalName())) {
                        throw new XMLStreamException("expected <Event>, found <" + r.getLocalName() + ">");
                    }
                    Object value = element(r, true);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map =
                            value instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
                    return map;
                }
            }
            throw new XMLStreamException("no <Event> element");
        } finally {
            r.close();
        }
    }

    /** Reads the element the reader is on, through its end tag. */
    private static Object element(XMLStreamReader r, boolean keepNamespace) throws XMLStreamException {
        Map<String, Object> attrs = null;
        int n = r.getAttributeCount();
        if (n > 0 || (keepNamespace && r.getNamespaceCount() > 0)) {
            attrs = new LinkedHashMap<>();
            if (keepNamespace) {
                for (int i = 0; i < r.getNamespaceCount(); i++) {
                    String prefix = r.getNamespacePrefix(i);
                    attrs.put(prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix, r.getNamespaceURI(i));
                }
            }
            for (int i = 0; i < n; i++) {
                attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
            }
        }
        boolean eventData = "EventData".equals(r.getLocalName());
        Map<String, Object> children = null;
        StringBuilder text = null;
        while (true) {
            int type = r.next();
            switch (type) {
                case XMLStreamConstants.START_ELEMENT -> {
                    String name = r.getLocalName();
                    String dataName = eventData && "Data".equals(name) ? r.getAttributeValue(null, "Name") : null;
                    Object child = element(r, false);
                    if (children == null) {
                        children = new LinkedHashMap<>();
                    }
                    if (dataName != null) {
                        children.put(dataName, child instanceof Map<?, ?> m ? m.get("#text") : child);
                    } else {
                        add(children, name, child);
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (text == null) {
                        text = new StringBuilder();
                    }
                    text.append(r.getText());
                }
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD ->
                    throw new XMLStreamException("DTDs and entity references are not allowed", r.getLocation());
                case XMLStreamConstants.END_ELEMENT -> {
                    String t = text == null ? null : text.toString();
                    boolean hasText = t != null && !t.isBlank();
                    if (attrs == null && children == null) {
                        return hasText ? t : null;
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    if (attrs != null) {
                        out.put("#attributes", attrs);
                    }
                    if (children != null) {
                        out.putAll(children);
                    }
                    if (hasText) {
                        out.put("#text", t);
                    }
                    return out;
                }
                default -> {
                    // comments, processing instructions
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> children, String name, Object child) {
        if (!children.containsKey(name)) {
            children.put(name, child);
            return;
        }
        Object previous = children.get(name);
        List<Object> list;
        if (previous instanceof Repeated rep) {
            list = rep;
        } else {
            list = new Repeated();
            list.add(previous);
            children.put(name, list);
        }
        list.add(child);
    }

    /** The list made for a repeated child element. */
    private static final class Repeated extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }

    /** Where an {@code <Event>} (not {@code <Events>}) element starts in {@code s}, or -1. */
    private static int eventStart(String s) {
        int from = 0;
        while (true) {
            int i = s.indexOf("<Event", from);
            if (i < 0 || i + 6 >= s.length()) {
                return i >= 0 && i + 6 == s.length() ? i : -1;
            }
            char c = s.charAt(i + 6);
            if (c == ' ' || c == '>' || c == '\t' || c == '/') {
                return i;
            }
            from = i + 6;
        }
    }

    private static boolean ignorable(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return true;
        }
        // The wrapper and declaration around events.
        return t.startsWith("<?xml") || t.startsWith("<Events") || t.startsWith("</Events>") || t.startsWith("<!--");
    }
}
