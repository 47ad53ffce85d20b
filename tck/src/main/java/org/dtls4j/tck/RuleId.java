package org.dtls4j.tck;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The id of the rule a contract test checks, such as {@code "HS-1"}: {@code tck/RULES.md}
 * states each rule, its source and what to check when it fails, and the TCK prefixes every
 * failure message of the test with the id. Like every annotation, immutable and thread-safe.
 *
 * @since 0.1
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RuleId {

    /** {@return the rule's id: an area prefix, a dash, a number} */
    String value();
}
