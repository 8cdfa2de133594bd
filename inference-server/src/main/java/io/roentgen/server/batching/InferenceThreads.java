package io.roentgen.server.batching;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Per-thread engine state a batching worker needs before its first forward pass. */
final class InferenceThreads {
    private InferenceThreads() {}

    /**
     * PyTorch's grad mode is thread-local: a fresh worker thread would record autograd graphs
     * (memory growing with every batch) unless switched off here, once, on that thread.
     */
    static void enterInferenceMode() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setGradMode(false);
        }
    }
}
