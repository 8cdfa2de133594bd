package io.roentgen.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token file's forms and mistakes, and the decisions of {@link AccessControl} for each kind of caller. */
class AccessControlTest {
    @TempDir
    Path dir;

    @Test
    void readsHashedTokensWithRolesAndTheOlderSingleToken() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# comment\nci " + RolesTest.sha256("abc") + " infer,metrics  # trailing\n\n"
                + "ops " + RolesTest.sha256("xyz").toUpperCase() + " admin\n");
        TokenTable table = TokenTable.read(file);
        assertEquals(2, table.size());
        assertEquals(Set.of(Role.INFER, Role.METRICS), table.match("abc").orElseThrow().roles());
        assertEquals("ops", table.match("xyz").orElseThrow().id());
        assertTrue(table.match("abcd").isEmpty());
        assertTrue(Files.readString(file).indexOf("abc ") < 0, "the file holds no token in the clear");
        TokenTable single = TokenTable.read(Files.writeString(dir.resolve("single"), "  s3cret\n"));
        assertEquals(Set.of(Role.INFER, Role.ADMIN, Role.METRICS), single.match("s3cret").orElseThrow().roles());
    }

    @Test
    void namesTheLineOfAMistakeWithoutEchoingIt() throws Exception {
        Path badRole = Files.writeString(dir.resolve("bad-role"), "ci " + RolesTest.sha256("abc") + " root\n");
        IllegalArgumentException role = assertThrows(IllegalArgumentException.class, () -> TokenTable.read(badRole));
        assertTrue(role.getMessage().contains("line 1") && role.getMessage().contains("unknown role 'root'"), role.getMessage());
        Path shortHash = Files.writeString(dir.resolve("short"), "ci abc123 infer\nother " + RolesTest.sha256("x") + " infer\n");
        IllegalArgumentException hash = assertThrows(IllegalArgumentException.class, () -> TokenTable.read(shortHash));
        assertTrue(hash.getMessage().contains("line 1") && !hash.getMessage().contains("abc123"), hash.getMessage());
    }

    @Test
    void decidesByRoleTokenAndPeerAddress() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.1");
        InetAddress remote = InetAddress.getByName("192.0.2.10");
        AccessControl open = new AccessControl(null);
        assertEquals("anonymous", open.check(Set.of(Role.INFER), null, remote, null));
        assertEquals("CN=x", open.check(Set.of(Role.ADMIN), null, local, "CN=x"));
        assertThrows(AccessDenied.Forbidden.class, () -> open.check(Set.of(Role.ADMIN), null, remote, null));
        assertThrows(AccessDenied.Forbidden.class, () -> open.check(Set.of(), null, remote, null),
                "a route that declared no role is treated as admin");
        AccessControl tokens = new AccessControl(TokenTable.single("t"));
        assertEquals(TokenTable.SINGLE_TOKEN_ID, tokens.check(Set.of(Role.ADMIN), "bearer t", remote, null));
        assertThrows(AccessDenied.Unauthenticated.class, () -> tokens.check(Set.of(Role.METRICS), "Basic dDp0", local, null));
        assertEquals("anonymous", tokens.check(Set.of(Role.ANYONE), null, remote, null));
    }
}
