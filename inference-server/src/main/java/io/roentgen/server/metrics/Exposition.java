package io.roentgen.server.metrics;

/** One scrape's answer: the body and the Content-Type of the format it is written in. */
public record Exposition(String contentType, byte[] body) {}
