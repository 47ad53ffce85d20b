package org.dtls4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the README's Java to this module's sources, so that every example a reader copies
 * compiles and is run by {@link ExamplesTest}: each {@code ```java} block of the README is
 * the text of one {@code // README: name} ... {@code // README: end} region here (its javadoc
 * left out), and each region is in the README.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of("..", "README.md");
    private static final String BEGIN = "// README: ";
    private static final String END = "// README: end";

    @Test
    void everyJavaBlockOfTheReadmeIsARegionOfTheExamples() throws IOException {
        Map<String, String> regions = regions();
        List<String> blocks = javaBlocks(Files.readAllLines(README));
        assertFalse(regions.isEmpty(), "no // README: regions found under src");
        for (String block : blocks) {
            assertTrue(regions.containsValue(block), "README.md has a java block that is no example region"
                    + " (edit the example under examples/src and copy its region, without its javadoc):\n" + block);
        }
        for (Map.Entry<String, String> region : regions.entrySet()) {
            assertTrue(blocks.contains(region.getValue()), "region '" + region.getKey()
                    + "' of the examples is not in README.md as a java block:\n" + region.getValue());
        }
        assertEquals(regions.size(), blocks.size(), "README.md's java blocks and the regions differ in number");
    }

    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).trim();
                    if (line.startsWith(BEGIN) && !line.equals(END)) {
                        int end = i + 1;
                        while (!lines.get(end).trim().equals(END)) {
                            end++;
                        }
                        String name = line.substring(BEGIN.length());
                        if (regions.put(name, dedent(withoutJavadoc(lines.subList(i + 1, end)))) != null) {
                            throw new AssertionError("two regions named '" + name + "'");
                        }
                        i = end;
                    }
                }
            }
        }
        return regions;
    }

    private static List<String> javaBlocks(List<String> readme) {
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).trim().equals("```java")) {
                int end = i + 1;
                while (!readme.get(end).trim().equals("```")) {
                    end++;
                }
                blocks.add(dedent(readme.subList(i + 1, end)));
                i = end;
            }
        }
        return blocks;
    }

    private static List<String> withoutJavadoc(List<String> lines) {
        List<String> kept = new ArrayList<>();
        boolean inJavadoc = false;
        for (String line : lines) {
            String t = line.trim();
            if (t.startsWith("/**")) {
                inJavadoc = !t.endsWith("*/");
            } else if (inJavadoc) {
                inJavadoc = !t.endsWith("*/");
            } else {
                kept.add(line);
            }
        }
        return kept;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line.isBlank() ? "" : line.substring(indent).stripTrailing()).append('\n');
        }
        return text.toString().strip();
    }
}
