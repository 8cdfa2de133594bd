package io.roentgen.server.results;

import io.roentgen.server.http.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification results of pushed instances, by study: the newest {@code capacity} kept in
 * memory (oldest dropped first), each also appended as one JSON line to a file when one is set.
 */
public final class ResultStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);

    /** One instance's result; {@code json} is what {@code GET /v1/results} returns for it. */
    public record Entry(String studyUid, String sopInstanceUid, Map<String, Object> json) {}

    private final int capacity;
    private final Map<String, LinkedHashMap<String, Entry>> byStudy = new HashMap<>();
    private final Deque<Entry> order = new ArrayDeque<>();
    private final BufferedWriter jsonl;

    public ResultStore(int capacity, Path jsonlFile) throws IOException {
        this.capacity = capacity;
        this.jsonl = jsonlFile == null ? null : Files.newBufferedWriter(jsonlFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public synchronized void add(Entry entry) {
        if (capacity > 0) {
            byStudy.computeIfAbsent(entry.studyUid(), k -> new LinkedHashMap<>()).put(entry.sopInstanceUid(), entry);
            order.addLast(entry);
            while (order.size() > capacity) {
                evict(order.removeFirst());
            }
        }
        appendLine(entry);
    }

    public synchronized List<Map<String, Object>> study(String studyUid) {
        LinkedHashMap<String, Entry> entries = byStudy.get(studyUid);
        List<Map<String, Object>> out = new ArrayList<>();
        if (entries != null) {
            entries.values().forEach(e -> out.add(e.json()));
        }
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        if (jsonl != null) {
            jsonl.close();
        }
    }

    private void evict(Entry oldest) {
        LinkedHashMap<String, Entry> entries = byStudy.get(oldest.studyUid());
        // A re-sent instance replaced its entry: only remove the one that is leaving.
        if (entries != null && entries.get(oldest.sopInstanceUid()) == oldest) {
            entries.remove(oldest.sopInstanceUid());
            if (entries.isEmpty()) {
                byStudy.remove(oldest.studyUid());
            }
        }
    }

    private void appendLine(Entry entry) {
        if (jsonl == null) {
            return;
        }
        try {
            jsonl.write(Responses.gson().toJson(entry.json()));
            jsonl.newLine();
            jsonl.flush();
        } catch (IOException e) {
            LOG.warn("cannot append a result to the results file: {}", e.getMessage());
        }
    }
}
