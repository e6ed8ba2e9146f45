package dev.vigil.formats;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.ProblemSink;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The entry point for reading events from files: EVTX, JSON (lines, arrays, concatenated objects), gzip-compressed or
 * not, the format detected from the content. See {@link EventReader} for reading many files with one parser setup and
 * for counters.
 */
public final class EventReaders {
    private EventReaders() {}

    /**
     * Reads one file with a new {@link EventReader}.
     *
     * @param file the file to read
     * @param options the tenant and, optionally, a forced format
     * @param sink receives every event, in file order
     * @param problems receives every problem, with the file and line or record
     * @return what was read
     * @throws IOException when the file cannot be opened
     */
    public static ReadSummary read(Path file, ReadOptions options, Consumer<Event> sink, ProblemSink problems)
            throws IOException {
        return new EventReader(options).read(file, sink, problems);
    }

    /**
     * The files named by {@code inputs}: a file as itself, a directory as every regular file under it (recursively,
     * following links), hidden files and directories (name starting with {@code '.'}) skipped. Each directory's files
     * come sorted by path; the inputs keep their order; a file reached twice (named twice, through a link, or with
     * {@code ./} or {@code ..}) comes once, where and as it was first named. Inputs that do not exist or cannot be
     * read, and folders that cannot be listed (a symbolic link loop among them), are reported to {@code problems} and
     * left out.
     */
    public static List<Path> expand(List<Path> inputs, ProblemSink problems) {
        List<Path> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                List<Path> found = new ArrayList<>();
                walk(input, found, problems);
                found.sort(null);
                for (Path file : found) {
                    if (seen.add(realPath(file))) {
                        out.add(file);
                    }
                }
            } else if (!Files.exists(input)) {
                problems.report(new Problem(input.toString(), 0, "no such file or directory"));
            } else if (!Files.isReadable(input)) {
                problems.report(new Problem(input.toString(), 0, "not readable"));
            } else if (seen.add(realPath(input))) {
                out.add(input);
            }
        }
        return List.copyOf(out);
    }

    /** The file with links, {@code .} and {@code ..} resolved, so that one file read two ways is read once. */
    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    /**
     * As {@link #expand(List, ProblemSink)}, failing instead of reporting.
     *
     * @throws IOException naming every input that does not exist or cannot be read
     */
    public static List<Path> expand(List<Path> inputs) throws IOException {
        ProblemCollector problems = new ProblemCollector(100);
        List<Path> files = expand(inputs, problems);
        if (problems.count() > 0) {
            throw new IOException(problems.problems().stream()
                    .map(Problem::toString)
                    .collect(Collectors.joining("; ", "cannot read inputs: ", "")));
        }
        return files;
    }

    private static void walk(Path root, List<Path> found, ProblemSink problems) {
        try {
            Files.walkFileTree(
                    root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            return !dir.equals(root) && hidden(dir)
                                    ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (hidden(file) || !attrs.isRegularFile()) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (Files.isReadable(file)) {
                                found.add(file);
                            } else {
                                problems.report(new Problem(file.toString(), 0, "not readable"));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            String why =
                                    e instanceof FileSystemLoopException ? "symbolic link loop" : "cannot read: " + e;
                            problems.report(new Problem(file.toString(), 0, why));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                            // A listing that failed part-way: the default would end the whole walk here.
                            if (e != null) {
                                problems.report(new Problem(dir.toString(), 0, "cannot list: " + e));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            problems.report(new Problem(root.toString(), 0, "cannot list: " + e));
        }
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
