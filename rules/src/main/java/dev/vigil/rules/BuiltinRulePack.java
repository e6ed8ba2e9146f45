package dev.vigil.rules;

import dev.vigil.sigma.SigmaRuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Sigma rules Vigil ships, read from this module's resources in the order of their index, so that the command
 * line and the server load the same pack the same way.
 */
public final class BuiltinRulePack {
    static final String PREFIX = "dev/vigil/rules/";

    /** The source name given to each rule, e.g. {@code vigil:windows/execution/x.yml}. */
    public static final String SOURCE_PREFIX = "vigil:";

    private BuiltinRulePack() {}

    /** The pack's rule files, relative to the pack, in index order. */
    public static List<String> paths() {
        String index = read("index.txt");
        List<String> out = new ArrayList<>();
        for (String line : index.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        return out;
    }

    /** Adds every rule of the pack to {@code builder}; returns the number of files added. */
    public static int addTo(SigmaRuleSet.Builder builder) {
        List<String> paths = paths();
        for (String p : paths) {
            builder.addYaml(SOURCE_PREFIX + p, read(p));
        }
        return paths.size();
    }

    private static String read(String path) {
        try (InputStream in = BuiltinRulePack.class.getClassLoader().getResourceAsStream(PREFIX + path)) {
            if (in == null) {
                throw new IllegalStateException("the built-in rule pack is missing " + path + " from this build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in rule " + path, e);
        }
    }
}
