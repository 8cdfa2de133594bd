package io.roentgen.engine;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineSettingsTest {

    @Test
    void defaultsAreOneInterOpThreadAndOneIntraOpThreadPerCoreOffline() {
        EngineSettings s = EngineSettings.builder(k -> null, Map.of()).build();
        assertEquals(1, s.interOpThreads());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.intraOpThreads());
        assertTrue(s.offline());
    }

    @Test
    void propertiesBeatEnvironmentWhichBeatsDefaults() {
        Map<String, String> props = Map.of("roentgen.intraOpThreads", "3");
        Map<String, String> env = Map.of("ROENTGEN_INTRA_OP_THREADS", "5", "ROENTGEN_INTER_OP_THREADS", "2",
                "ROENTGEN_OFFLINE", "false");
        EngineSettings s = EngineSettings.builder(props::get, env).build();
        assertEquals(3, s.intraOpThreads());
        assertEquals(2, s.interOpThreads());
        assertFalse(s.offline());
    }

    @Test
    void badOverridesFallBackInsteadOfFailingStartUp() {
        Map<String, String> env = Map.of("ROENTGEN_INTRA_OP_THREADS", "many", "ROENTGEN_INTER_OP_THREADS", "0");
        EngineSettings s = EngineSettings.builder(k -> null, env).build();
        assertEquals(Runtime.getRuntime().availableProcessors(), s.intraOpThreads());
        assertEquals(1, s.interOpThreads());
    }

    @Test
    void builderRefusesZeroThreads() {
        assertThrows(IllegalArgumentException.class, () -> EngineSettings.builder().intraOpThreads(0));
    }

    @Test
    void applyHandsTheValuesToDjl() {
        EngineSettings.builder().intraOpThreads(2).interOpThreads(1).offline(true).build().apply();
        assertEquals("2", System.getProperty("ai.djl.pytorch.num_threads"));
        assertEquals("1", System.getProperty("ai.djl.pytorch.num_interop_threads"));
        assertEquals("true", System.getProperty("ai.djl.offline"));
    }
}
