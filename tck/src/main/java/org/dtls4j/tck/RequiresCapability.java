package org.dtls4j.tck;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.dtls4j.Capability;

/**
 * Runs a TCK test only when the providers at both ends declare these capabilities;
 * otherwise it is skipped with a reason that names the provider and the capability. A
 * declared capability that does not work fails: it never turns into a skip.
 *
 * @since 0.1
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresCapability {
    /** {@return the capabilities the provider must declare for the test to run} */
    Capability[] value();
}
