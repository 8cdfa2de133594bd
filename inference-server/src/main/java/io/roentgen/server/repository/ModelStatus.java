package io.roentgen.server.repository;

/**
 * A repository entry as {@code POST /v2/repository/index} lists it.
 *
 * @param state  READY, LOADING, UNAVAILABLE (failed or unloaded)
 * @param reason why it is not ready, or "" when it is
 */
public record ModelStatus(String name, String version, String state, String reason) {}
