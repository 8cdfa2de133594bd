package io.roentgen.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.engine.RoentgenException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --config FILE}: a JSON object keyed by flag name without dashes, e.g.
 * {@code {"port": 9000, "no-warmup": true}}. Flags on the command line win over the file.
 */
final class ConfigFile {
    private ConfigFile() {}

    /** A fresh command parsed from the file's flags, then the command line's, so that the latter override. */
    static <T> T merged(Path file, CommandSpec spec, T fresh) throws RoentgenException {
        List<String> args = new ArrayList<>(arguments(file, spec));
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (option.arity().max() == 0) {
                args.add(option.longestName());
            } else {
                for (String value : option.originalStringValues()) {
                    args.add(option.longestName());
                    args.add(value);
                }
            }
        }
        CommandLine cli = new CommandLine(fresh);
        cli.setOverwrittenOptionsAllowed(true);
        try {
            cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw RoentgenException.usage("config file " + file + ": " + e.getMessage());
        }
        return fresh;
    }

    /** The file's entries as command-line arguments; unknown or non-scalar keys are usage errors. */
    static List<String> arguments(Path file, CommandSpec spec) throws RoentgenException {
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw RoentgenException.usage("cannot read config file " + file + " as a JSON object: " + e.getMessage());
        }
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            String flag = "--" + entry.getKey();
            OptionSpec option = spec.findOption(flag);
            if (option == null || flag.equals("--config") || !entry.getValue().isJsonPrimitive()) {
                throw RoentgenException.usage("config file " + file + ": unknown or non-scalar key '" + entry.getKey() + "'");
            }
            if (option.arity().max() == 0) {
                if (entry.getValue().getAsBoolean()) {
                    args.add(flag);
                }
            } else {
                args.add(flag);
                args.add(entry.getValue().getAsString());
            }
        }
        return args;
    }
}
