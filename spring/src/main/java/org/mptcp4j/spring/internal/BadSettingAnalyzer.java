package org.mptcp4j.spring.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's start-failure report for a bad {@code mptcp4j.*} property: the one line, not the bean chain. */
public final class BadSettingAnalyzer extends AbstractFailureAnalyzer<BadSettingException> {
    @Override
    protected FailureAnalysis analyze(Throwable root, BadSettingException cause) {
        return new FailureAnalysis(cause.getMessage(), "Correct the property, or set mptcp4j.enabled=false.", cause);
    }
}
