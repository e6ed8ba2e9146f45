package dev.vigil.inputs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON parsing for request bodies with hard limits: nesting depth, string, number and document length are bounded by
 * Jackson's {@link StreamReadConstraints}, so a hostile body cannot exhaust the stack or the heap. Values become plain
 * Java objects ({@code LinkedHashMap}, {@code ArrayList}, {@code String}, {@code Long}, {@code Double}, {@code
 * Boolean}, {@code null}) as the formats module's normalisers expect. Thread-safe (the factory is).
 */
final class BoundedJson {
    static final int MAX_NESTING_DEPTH = 64;
    static final int MAX_NUMBER_LENGTH = 256;

    private final JsonFactory factory;

    BoundedJson(int maxDocumentBytes) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(maxDocumentBytes)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxDocumentLength(maxDocumentBytes)
                        .build())
                .build();
    }

    JsonParser parser(byte[] bytes, int offset, int length) throws IOException {
        return factory.createParser(bytes, offset, length);
    }

    /** Exactly one JSON value in the range, with nothing but white space after it. */
    Object parseComplete(byte[] bytes, int offset, int length) throws IOException {
        try (JsonParser p = factory.createParser(bytes, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonParseException(p, "no JSON value");
            }
            Object value = readValue(p, t);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the JSON value");
            }
            return value;
        }
    }

    /** As {@link #parseComplete(byte[], int, int)} for text. */
    Object parseComplete(String text) throws IOException {
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonParseException(p, "no JSON value");
            }
            Object value = readValue(p, t);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the JSON value");
            }
            return value;
        }
    }

    /** The value starting at token {@code t}; recursion is bounded by the factory's nesting limit. */
    static Object readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    map.put(name, readValue(p, p.nextToken()));
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    throw new JsonParseException(p, "expected a field name or the end of the object");
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw new JsonParseException(p, "unexpected end of input in an array");
                    }
                    list.add(readValue(p, next));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText() : (Object) p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    /** A one-line description of a parse failure, with the column or byte offset when Jackson knows it. */
    static String describe(Exception e) {
        if (e instanceof JsonProcessingException jpe) {
            var loc = jpe.getLocation();
            String where = loc == null || loc.getColumnNr() <= 0 ? "" : " at column " + loc.getColumnNr();
            return "invalid JSON" + where + ": " + jpe.getOriginalMessage();
        }
        return "invalid JSON: " + e.getMessage();
    }

    static String kind(Object value) {
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value == null ? "null" : "an object";
    }
}
