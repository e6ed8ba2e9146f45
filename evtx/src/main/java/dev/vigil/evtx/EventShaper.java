package dev.vigil.evtx;

import dev.vigil.evtx.Nodes.Attribute;
import dev.vigil.evtx.Nodes.CharRef;
import dev.vigil.evtx.Nodes.Element;
import dev.vigil.evtx.Nodes.Embedded;
import dev.vigil.evtx.Nodes.EntityRef;
import dev.vigil.evtx.Nodes.Substitution;
import dev.vigil.evtx.Nodes.TemplateInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands template instances and renders the resulting element tree as evtx_dump's JSON model. The rules follow
 * evtx_dump's JSON renderer; see {@link EvtxReader} for them in prose.
 */
final class EventShaper {
    /** Bound on the nesting of expanded elements, so rendering recursion stays shallow on corrupt input. */
    static final int MAX_DEPTH = 100;

    /** Bound on the nodes one record may expand to, against template bombs in corrupt files. */
    static final int MAX_EXPANDED_NODES = 1_000_000;

    private static final Object[] NO_VALUES = new Object[0];
    private static final int MAX_UNIQUE_NAMES = 64;

    private int budget;

    /** The record's event map: {@code {rootName: value}}. */
    Map<String, Object> shape(List<Object> fragment) throws CorruptDataException {
        budget = MAX_EXPANDED_NODES;
        List<Object> resolved = new ArrayList<>(1);
        resolve(fragment, NO_VALUES, resolved, 0);
        for (Object node : resolved) {
            if (node instanceof Element root) {
                Map<String, Object> event = new LinkedHashMap<>(2);
                event.put(root.name, elementValue(root, false));
                return event;
            }
        }
        throw new CorruptDataException("record has no root element");
    }

    private void resolve(List<Object> nodes, Object[] values, List<Object> out, int depth) throws CorruptDataException {
        if (depth > MAX_DEPTH) {
            throw new CorruptDataException("elements nested deeper than " + MAX_DEPTH);
        }
        for (Object node : nodes) {
            if (--budget < 0) {
                throw new CorruptDataException("record expands to more than " + MAX_EXPANDED_NODES + " nodes");
            }
            if (node instanceof Element e) {
                if (isStatic(e) && e.height + depth <= MAX_DEPTH) {
                    budget -= e.weight;
                    out.add(e); // nothing to expand: share the parsed element (it is never modified)
                    continue;
                }
                List<Attribute> attributes = e.attributes.isEmpty() ? List.of() : new ArrayList<>(e.attributes.size());
                for (Attribute a : e.attributes) {
                    List<Object> value = new ArrayList<>(a.value().size());
                    resolve(a.value(), values, value, depth + 1);
                    attributes.add(new Attribute(a.name(), value));
                }
                List<Object> children = new ArrayList<>(e.children.size());
                resolve(e.children, values, children, depth + 1);
                out.add(new Element(e.name, attributes, children));
            } else if (node instanceof Substitution s) {
                if (s.index() >= values.length) {
                    continue;
                }
                Object value = values[s.index()];
                if (s.optional() && isEmpty(value)) {
                    continue;
                }
                if (value instanceof Embedded embedded) {
                    resolve(embedded.nodes(), NO_VALUES, out, depth + 1);
                } else {
                    out.add(value);
                }
            } else if (node instanceof TemplateInstance instance) {
                resolve(instance.template.nodes(), instance.values, out, depth + 1);
            } else if (node instanceof Embedded embedded) {
                resolve(embedded.nodes(), NO_VALUES, out, depth + 1);
            } else {
                out.add(node);
            }
        }
    }

    /** Whether nothing under {@code e} needs expansion; computed once per parsed element (templates are cached). */
    private static boolean isStatic(Element e) {
        if (e.kind == 0) {
            long weight = 1;
            boolean isStatic = true;
            for (Attribute a : e.attributes) {
                long w = weight(a.value());
                isStatic &= w >= 0;
                weight += Math.max(w, 0);
            }
            long w = weight(e.children);
            isStatic &= w >= 0;
            weight += Math.max(w, 0);
            e.weight = (int) Math.min(weight, Integer.MAX_VALUE);
            int height = 0;
            for (Object node : e.children) {
                if (node instanceof Element child) {
                    height = Math.max(height, child.height);
                }
            }
            e.height = height + 1;
            e.kind = isStatic ? (byte) 1 : (byte) 2;
        }
        return e.kind == 1;
    }

    /** The node count of a static node list, or -1 when something in it needs expansion. */
    private static long weight(List<Object> nodes) {
        long weight = nodes.size();
        for (Object node : nodes) {
            if (node instanceof Substitution || node instanceof TemplateInstance || node instanceof Embedded) {
                return -1;
            }
            if (node instanceof Element child) {
                if (!isStatic(child)) {
                    return -1;
                }
                weight += child.weight;
            }
        }
        return weight;
    }

    private static boolean isEmpty(Object value) {
        return (value instanceof String s && s.isEmpty()) || (value instanceof List<?> l && l.isEmpty());
    }

    private static boolean hasText(List<Object> nodes) {
        for (Object node : nodes) {
            if (node instanceof Element) {
                continue;
            }
            if (!isEmpty(node)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasElementChild(List<Object> nodes) {
        for (Object node : nodes) {
            if (node instanceof Element) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasAttributeText(List<Attribute> attributes) {
        for (Attribute a : attributes) {
            if (hasText(a.value())) {
                return true;
            }
        }
        return false;
    }

    private static Object elementValue(Element e, boolean dataContainer) {
        boolean text = hasText(e.children);
        boolean attributeText = hasAttributeText(e.attributes);
        boolean elementChild = hasElementChild(e.children);
        if (!elementChild && !text && !attributeText) {
            return null;
        }
        if (!elementChild && !attributeText) {
            return content(e.children);
        }
        return body(e, dataContainer);
    }

    /** A single number or boolean value stays typed (and a single array stays a list); all else is joined text. */
    private static Object content(List<Object> nodes) {
        if (nodes.size() == 1) {
            Object only = nodes.get(0);
            if (isTyped(only)) {
                return only;
            }
        }
        return text(nodes);
    }

    /** Like {@link #content} for mixed content: element children and empty values are skipped. */
    private static Object contentSkippingElements(List<Object> nodes) {
        Object single = null;
        for (Object node : nodes) {
            if (node instanceof Element || isEmpty(node)) {
                continue;
            }
            if (single != null || !isTyped(node)) {
                return text(nodes);
            }
            single = node;
        }
        return single != null ? single : text(nodes);
    }

    private static boolean isTyped(Object node) {
        return node instanceof Long || node instanceof Boolean || node instanceof Double || node instanceof List;
    }

    private static String text(List<Object> nodes) {
        if (nodes.size() == 1 && nodes.get(0) instanceof String s) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (Object node : nodes) {
            appendText(b, node);
        }
        return b.toString();
    }

    private static void appendText(StringBuilder b, Object node) {
        if (node instanceof String s) {
            b.append(s);
        } else if (node instanceof CharRef c) {
            b.append("&#").append(c.code()).append(';');
        } else if (node instanceof EntityRef r) {
            b.append('&').append(r.name()).append(';');
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                appendText(b, list.get(i));
            }
        } else if (!(node instanceof Element)) {
            b.append(node);
        }
    }

    private static Map<String, Object> body(Element e, boolean dataContainer) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (!e.attributes.isEmpty()) {
            Map<String, Object> attributes = null;
            for (Attribute a : e.attributes) {
                if (!hasText(a.value())) {
                    continue;
                }
                if (attributes == null) {
                    attributes = new LinkedHashMap<>();
                }
                attributes.put(a.name(), content(a.value()));
            }
            if (attributes != null) {
                map.put("#attributes", attributes);
            }
        }
        if (hasText(e.children)) {
            map.put("#text", contentSkippingElements(e.children));
        }
        boolean flatten = false;
        int positional = 0;
        if (dataContainer) {
            for (Object node : e.children) {
                if (node instanceof Element child && child.name.equals("Data")) {
                    positional++;
                    List<Object> name = nameAttribute(child);
                    if (name != null && hasText(name)) {
                        flatten = true;
                    }
                }
            }
        }
        boolean positionalDone = false;
        List<String> seen = null;
        int[] counts = null;
        for (Object node : e.children) {
            if (!(node instanceof Element child)) {
                continue;
            }
            if (dataContainer && child.name.equals("Data")) {
                if (flatten) {
                    List<Object> name = nameAttribute(child);
                    if (name != null && hasText(name)) {
                        map.put(text(name), dataValue(child));
                    }
                } else if (!positionalDone) {
                    positionalDone = true;
                    Map<String, Object> data = new LinkedHashMap<>(2);
                    if (positional == 1) {
                        data.put("#text", dataValue(child));
                    } else {
                        List<Object> list = new ArrayList<>(positional);
                        for (Object other : e.children) {
                            if (other instanceof Element d && d.name.equals("Data")) {
                                list.add(dataValue(d));
                            }
                        }
                        data.put("#text", list);
                    }
                    map.put("Data", data);
                }
                continue;
            }
            // Repeated names get evtx_dump's suffixes: Header, Header_1, Header_2, ...
            if (seen == null) {
                seen = new ArrayList<>();
                counts = new int[MAX_UNIQUE_NAMES];
            }
            int suffix = 0;
            int at = seen.indexOf(child.name);
            if (at >= 0) {
                suffix = counts[at]++;
            } else if (seen.size() < MAX_UNIQUE_NAMES) {
                counts[seen.size()] = 1;
                seen.add(child.name);
            }
            String key = suffix == 0 ? child.name : child.name + "_" + suffix;
            map.put(key, elementValue(child, child.name.equals("EventData") || child.name.equals("UserData")));
        }
        return map;
    }

    private static Object dataValue(Element data) {
        boolean elementChild = hasElementChild(data.children);
        if (!elementChild && !hasText(data.children)) {
            return "";
        }
        return elementChild ? body(data, false) : content(data.children);
    }

    private static List<Object> nameAttribute(Element e) {
        for (Attribute a : e.attributes) {
            if (a.name().equals("Name")) {
                return a.value();
            }
        }
        return null;
    }
}
