package io.roentgen.spark;

import io.roentgen.datasets.cache.TensorCache;
import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.PreprocessingSpec;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Fills the tensor cache with one partition of a manifest's files: an entry already there is
 * left alone ({@code cached}), a missing one is decoded and written ({@code written}), a file
 * that fails is reported ({@code failed}). Entries are keyed exactly as training looks them up
 * (the file's absolute path, size and modification time, and the spec), so the cache folder must
 * be one that the training machine sees at the same paths.
 */
final class CachePreparer implements FlatMapFunction<Iterator<String>, CachePreparer.Outcome> {
    private static final long serialVersionUID = 1L;

    /** One file's outcome. */
    record Outcome(String path, String status, String reason) implements Serializable {}

    private final String cacheDirectory;
    private final String specJson;
    private final LongAccumulator done;
    private final LongAccumulator failed;

    CachePreparer(String cacheDirectory, String specJson, LongAccumulator done, LongAccumulator failed) {
        this.cacheDirectory = cacheDirectory;
        this.specJson = specJson;
        this.done = done;
        this.failed = failed;
    }

    @Override
    public Iterator<Outcome> call(Iterator<String> paths) throws IOException {
        PreprocessingSpec spec = PreprocessingSpec.fromJson(specJson);
        TensorCache cache = TensorCache.open(Path.of(cacheDirectory), specJson);
        DicomReader reader = DicomReader.defaults();
        List<Outcome> outcomes = new ArrayList<>();
        while (paths.hasNext()) {
            Outcome o = prepare(Path.of(paths.next()), cache, spec, reader);
            (o.status().equals("failed") ? failed : done).add(1);
            outcomes.add(o);
        }
        return outcomes.iterator();
    }

    private static Outcome prepare(Path file, TensorCache cache, PreprocessingSpec spec, DicomReader reader) {
        try {
            if (cache.get(file).isPresent()) {
                return new Outcome(file.toString(), "cached", null);
            }
            cache.put(file, Preparation.forCache(spec, reader.read(file)));
            return new Outcome(file.toString(), "written", null);
        } catch (NoSuchFileException e) {
            return new Outcome(file.toString(), "failed", "no such file");
        } catch (IOException e) {
            return new Outcome(file.toString(), "failed", "cannot read: " + e.getMessage());
        } catch (DicomException e) {
            return new Outcome(file.toString(), "failed", e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome(file.toString(), "failed", "cannot preprocess: " + e);
        }
    }
}
