package org.dtls4j.tck;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Names each contract test by its method alone: every one takes the same {@link TckRun}
 * parameter, and its run's name (the version, the providers) is its parent's.
 */
final class TckNames extends DisplayNameGenerator.Standard {

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
                                               Method testMethod) {
        return testMethod.getName();
    }
}
