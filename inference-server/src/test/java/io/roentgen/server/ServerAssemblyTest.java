package io.roentgen.server;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.server.security.TokenTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operator settings into a server config: units, the token file, checks made once on the whole. */
class ServerAssemblyTest {
    @TempDir
    Path dir;

    @Test
    void buildsTheConfigWithSizesInBytesAndTheTokenFromItsFile() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "  s3cret\n");
        ServerConfig config = ServerAssembly.of(dir).bind("0.0.0.0", 0).devices("cpu").authTokenFile(token)
                .batching(64, 2, List.of(1, 64)).queue(10, 500).warmup(false, 0).results("chest", 5, null)
                .limits(3, new ServerAssembly.ServerLimitsInMb(7, 4, 900, 0, 0.5)).config();
        assertEquals(TokenTable.SINGLE_TOKEN_ID, config.security().tokens().match("s3cret").orElseThrow().id(),
                "a bare token, stored hashed, with every role");
        assertTrue(config.security().tokens().match("s3cret ").isEmpty());
        assertEquals(List.of(Device.cpu()), config.devices());
        assertEquals(List.of(1, 64), config.preferredBatchSizes(), "checked against the max batch size set with them");
        assertEquals(3L << 20, config.maxBodyBytes());
        assertEquals(7L << 20, config.limits().memoryBudgetBytes());
        assertEquals(4, config.limits().maxConnectionsPerClient());
        assertEquals(0.5, config.limits().explainShare());
        assertFalse(config.warmup());
        assertEquals("chest", config.stowModel());
        assertFalse(ServerAssembly.openToTheNetwork(config), "a token guards it");
    }

    @Test
    void servingBeyondLoopbackWithoutATokenIsOpenToTheNetwork() throws Exception {
        ServerConfig open = ServerAssembly.of(dir).bind("0.0.0.0", 0).devices("cpu").config();
        assertNull(open.security().tokens());
        assertTrue(ServerAssembly.openToTheNetwork(open));
        assertFalse(ServerAssembly.openToTheNetwork(ServerAssembly.of(dir).devices("cpu").config()));
    }

    @Test
    void badSettingsAreUsageErrors() throws Exception {
        RoentgenException missing = assertThrows(RoentgenException.class,
                () -> ServerAssembly.of(dir.resolve("nope")).devices("cpu").config());
        assertTrue(missing.isUsageError());
        assertTrue(missing.getMessage().endsWith("nope is not a folder"), missing.getMessage());
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        RoentgenException blank = assertThrows(RoentgenException.class,
                () -> ServerAssembly.of(dir).devices("cpu").authTokenFile(empty).config());
        assertEquals("auth token file " + empty + " is empty", blank.getMessage());
        RoentgenException sizes = assertThrows(RoentgenException.class,
                () -> ServerAssembly.of(dir).devices("cpu").batching(16, 5, List.of(4, 32)).config());
        assertTrue(sizes.isUsageError());
        assertTrue(sizes.getMessage().contains("preferred batch sizes from 1 to the max batch size 16, got 32"),
                sizes.getMessage());
    }
}
