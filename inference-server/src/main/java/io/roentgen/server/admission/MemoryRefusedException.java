package io.roentgen.server.admission;

import java.io.IOException;

/**
 * The memory budget refused a request more memory. Either the server has no room for it now (it
 * may fit once other requests finish) or the request needs more than the whole budget (it never
 * will). An {@link IOException} so that it passes through stream reads and parsers that grow as
 * they read; the HTTP edge decides what each case answers.
 */
public final class MemoryRefusedException extends IOException {
    private final boolean exceedsBudget;

    public MemoryRefusedException(String message, boolean exceedsBudget) {
        super(message);
        this.exceedsBudget = exceedsBudget;
    }

    /** True when the request would need more than the whole budget, so retrying cannot help. */
    public boolean exceedsBudget() {
        return exceedsBudget;
    }
}
