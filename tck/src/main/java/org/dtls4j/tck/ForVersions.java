package org.dtls4j.tck;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.dtls4j.ProtocolVersion;

/**
 * Marks a TCK rule that belongs to some protocol versions only (for example the
 * HelloVerifyRequest cookie exchange, which DTLS 1.3 replaces with HelloRetryRequest):
 * runs of any other version skip it with {@link #why()} as the reason. Like every annotation,
 * immutable and thread-safe.
 *
 * @since 0.1
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ForVersions {

    /** {@return the versions the rule belongs to} */
    ProtocolVersion[] value();

    /** {@return why the rule belongs to those versions only: the skip reason for the others} */
    String why();
}
