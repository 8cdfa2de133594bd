package io.roentgen.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens the server accepts, held only as SHA-256 hashes. The file has one token a
 * line, {@code ID SHA256-HEX ROLE[,ROLE...]} ({@code #} starts a comment); the hash is that of
 * the token's UTF-8 bytes ({@code printf %s "$TOKEN" | sha256sum}). A file holding one bare word
 * is the older single-token form of {@code --auth-token-file}: that token gets every role.
 */
public final class TokenTable {
    /** The id a single bare token is known by in the audit log. */
    public static final String SINGLE_TOKEN_ID = "token";

    /** One accepted token: its id (what the audit log names), its hash and its roles. */
    public record Token(String id, byte[] sha256, Set<Role> roles) {
        public Token {
            roles = Set.copyOf(roles);
            sha256 = sha256.clone();
        }
    }

    private final List<Token> tokens;

    private TokenTable(List<Token> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /** One token with every role, as the older {@code --auth-token-file} gave. */
    public static TokenTable single(String token) {
        return new TokenTable(List.of(new Token(SINGLE_TOKEN_ID, sha256(token), EnumSet.of(Role.INFER, Role.ADMIN, Role.METRICS))));
    }

    /** Reads a token file; a line that does not parse is an error naming the line, never echoing a secret. */
    public static TokenTable read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(line -> line.replaceFirst("#.*", "").trim()).toList();
        List<String> content = lines.stream().filter(line -> !line.isEmpty()).toList();
        if (content.isEmpty()) {
            throw new IllegalArgumentException("auth token file " + file + " is empty");
        }
        if (content.size() == 1 && content.get(0).split("\\s+").length == 1) {
            return single(content.get(0));
        }
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isEmpty()) {
                tokens.add(parseLine(lines.get(i), file, i + 1));
            }
        }
        return new TokenTable(tokens);
    }

    private static Token parseLine(String line, Path file, int number) {
        String[] fields = line.split("\\s+");
        String where = "auth token file " + file + " line " + number;
        if (fields.length != 3 || !fields[1].matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(where + ": expected ID SHA256-HEX ROLE[,ROLE...] (64 hex digits)");
        }
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        try {
            for (String role : fields[2].split(",")) {
                roles.add(Role.parse(role));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        return new Token(fields[0], HexFormat.of().parseHex(fields[1].toLowerCase()), roles);
    }

    /**
     * The token whose hash matches. Every entry is compared, in constant time per entry, so that
     * neither the bytes of a token nor its position in the file show in the response time.
     */
    public Optional<Token> match(String presented) {
        byte[] hash = sha256(presented);
        Token found = null;
        for (Token token : tokens) {
            if (MessageDigest.isEqual(hash, token.sha256()) && found == null) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return tokens.size();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
