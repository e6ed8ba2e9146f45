package dev.vigil.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.testing.Corpus;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads every {@code .evtx} of Sigma's regression data and compares each record with the {@code evtx_dump} JSON beside
 * it (one top-level object per record).
 */
class EvtxCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRegressionFileMatchesEvtxDump() throws IOException {
        Path root = Corpus.require("sigma/regression_data");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".evtx")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        int matched = 0;
        List<String> mismatches = new ArrayList<>();
        for (Path evtx : files) {
            Path json = evtx.resolveSibling(
                    evtx.getFileName().toString().replaceFirst("\\.evtx$", ".json"));
            List<Object> expected = readExpected(json);
            ProblemCollector problems = new ProblemCollector(10);
            List<Object> actual = new ArrayList<>();
            try (EvtxReader reader = EvtxReader.open(evtx)) {
                reader.forEach(r -> actual.add(r.event()), problems);
            }
            Object normalizedActual = normalize(actual);
            if (problems.count() == 0 && normalizedActual.equals(expected)) {
                matched++;
            } else {
                mismatches.add(root.relativize(evtx) + ": problems=" + problems.problems() + "\n  expected "
                        + firstDifference(expected, normalizedActual));
            }
        }
        System.out.printf("EVTX corpus: %d of %d files match evtx_dump exactly%n", matched, files.size());
        mismatches.forEach(m -> System.out.println("  differs: " + m));
        assertThat(mismatches).isEmpty();
    }

    private static List<Object> readExpected(Path json) throws IOException {
        List<Object> records = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> it = JSON.readerFor(new TypeReference<LinkedHashMap<String, Object>>() {})
                .readValues(json.toFile())) {
            while (it.hasNext()) {
                records.add(normalize(it.next()));
            }
        }
        return records;
    }

    /** Numbers to Long or Double (as {@link EvtxReader} produces them), recursively. */
    static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, normalize(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(normalize(v)));
            return out;
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : big.toString();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        return value;
    }

    /** A short description of where two normalized trees first differ. */
    static String firstDifference(Object expected, Object actual) {
        return firstDifference("", expected, actual);
    }

    private static String firstDifference(String path, Object expected, Object actual) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            for (Object key : e.keySet()) {
                if (!a.containsKey(key)) {
                    return path + "/" + key + " missing (expected " + e.get(key) + ")";
                }
                String d = firstDifference(path + "/" + key, e.get(key), a.get(key));
                if (d != null) {
                    return d;
                }
            }
            for (Object key : a.keySet()) {
                if (!e.containsKey(key)) {
                    return path + "/" + key + " unexpected: " + a.get(key);
                }
            }
            return null;
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                return path + " size " + e.size() + " vs " + a.size();
            }
            for (int i = 0; i < e.size(); i++) {
                String d = firstDifference(path + "[" + i + "]", e.get(i), a.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected == null ? actual == null : expected.equals(actual)) {
            return null;
        }
        return path + ": " + describe(expected) + " vs " + describe(actual);
    }

    private static String describe(Object v) {
        return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
    }
}
