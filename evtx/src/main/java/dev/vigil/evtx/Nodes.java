package dev.vigil.evtx;

import java.util.ArrayList;
import java.util.List;

/**
 * The intermediate tree BinXML parses into. A node list holds {@link Element}s, text ({@code String}), decoded
 * substitution values ({@code String}, {@code Long}, {@code Boolean}, {@code Double}, {@code List}), {@link CharRef}s,
 * {@link EntityRef}s and, before template expansion, {@link Substitution}s and {@link TemplateInstance}s.
 */
final class Nodes {
    private Nodes() {}

    /** An element; its children and attribute values are node lists. */
    static final class Element {
        final String name;
        final List<Attribute> attributes;
        final List<Object> children;
        /** 0 unknown, 1 static (no substitution, instance or embedded BinXML below), 2 dynamic; set by expansion. */
        byte kind;
        /** For a static element: the number of nodes in its subtree, counted against the expansion budget. */
        int weight;
        /** For an element whose kind is known: the depth of its element subtree. */
        int height;

        Element(String name, List<Attribute> attributes, List<Object> children) {
            this.name = name;
            this.attributes = attributes;
            this.children = children;
        }

        Element(String name) {
            this(name, new ArrayList<>(2), new ArrayList<>(2));
        }
    }

    /** An attribute; its value is a node list (text, values, substitutions). */
    record Attribute(String name, List<Object> value) {}

    /** A character reference; evtx_dump renders it in its XML form, not as the character. */
    record CharRef(int code) {}

    /** An entity reference; evtx_dump renders it in its XML form. */
    record EntityRef(String name) {}

    /** A normal or optional substitution in a template definition. */
    record Substitution(int index, boolean optional) {}

    /** A parsed template definition. */
    record Template(List<Object> nodes) {}

    /** A template instance: a definition and the values of its substitutions (the array is never modified). */
    static final class TemplateInstance {
        final Template template;
        final Object[] values;

        TemplateInstance(Template template, Object[] values) {
            this.template = template;
            this.values = values;
        }
    }

    /** A substitution value of type BinXML (0x21): a nested fragment. */
    record Embedded(List<Object> nodes) {}
}
