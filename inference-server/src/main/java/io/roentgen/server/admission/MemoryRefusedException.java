package io.roentgen.server.admission;

import io.roentgen.server.ApiException;

import java.io.IOException;

/** A stream read that the memory budget refused: an I/O failure to the reader, 503 to the client. */
public final class MemoryRefusedException extends IOException {
    private final transient ApiException answer;

    public MemoryRefusedException(ApiException answer) {
        super(answer.getMessage());
        this.answer = answer;
    }

    public ApiException answer() {
        return answer;
    }
}
