package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every contract test has a rule id of its own, and RULES.md states each one. */
class RuleIdsTest {

    private static final Pattern ROW = Pattern.compile("^\\| ([A-Z]+-\\d+) \\| `(\\w+)` \\|", Pattern.MULTILINE);

    /** Rule id to test name, from the {@code @RuleId} annotations of every contract. */
    private static Map<String, String> annotated() {
        Map<String, String> ids = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (Class<?> contract : DtlsTck.class.getInterfaces()) {
            for (Method m : contract.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(Test.class)) {
                    continue;
                }
                RuleId id = m.getAnnotation(RuleId.class);
                if (id == null) {
                    missing.add(contract.getSimpleName() + "." + m.getName());
                    continue;
                }
                String before = ids.put(id.value(), m.getName());
                assertTrue(before == null, "rule id " + id.value() + " is used by " + before + " and " + m.getName());
            }
        }
        assertTrue(missing.isEmpty(), "contract tests without a @RuleId: " + missing);
        return ids;
    }

    @Test
    void everyContractTestHasItsOwnRuleId() {
        assertTrue(annotated().size() > 60, "the TCK's contract tests are found: " + annotated().size());
    }

    @Test
    void rulesMdListsEveryRuleIdWithItsTest() throws IOException {
        Map<String, String> listed = new TreeMap<>();
        Matcher m = ROW.matcher(Files.readString(Path.of("RULES.md")));
        while (m.find()) {
            listed.put(m.group(1), m.group(2));
        }
        assertEquals(annotated(), listed, "RULES.md rows (id -> test) must match the @RuleId annotations");
    }
}
