package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.roentgen.engine.RoentgenException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitecturesTest {

    @Test
    void listsEveryArchitecture() {
        assertEquals(List.of("small", "resnet18", "resnet34", "resnet50", "densenet121", "mobilenet_v2"),
                Architectures.names());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        RoentgenException e = assertThrows(RoentgenException.class,
                () -> Architectures.build(ArchitectureSpec.of("resnet19", 1, 2)));
        assertTrue(e.getMessage().contains("unknown architecture 'resnet19'"), e.getMessage());
        for (String name : Architectures.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void rejectsImpossibleShapes() {
        assertThrows(RoentgenException.class, () -> Architectures.build(ArchitectureSpec.of("small", 0, 2)));
        assertThrows(RoentgenException.class, () -> Architectures.build(ArchitectureSpec.of("small", 1, 0)));
        RoentgenException e = assertThrows(RoentgenException.class,
                () -> Architectures.build(ArchitectureSpec.of("resnet18", 1, 2).withImageSize(16)));
        assertTrue(e.getMessage().contains("image size"), e.getMessage());
    }

    @Test
    void specRoundTripsThroughGson() {
        ArchitectureSpec spec = new ArchitectureSpec("densenet121", 1, 14, 320, true);
        Gson gson = new Gson();
        String json = gson.toJson(spec);
        assertEquals("{\"name\":\"densenet121\",\"inChannels\":1,\"numClasses\":14,\"imageSize\":320,\"multiLabel\":true}", json);
        assertEquals(spec, gson.fromJson(json, ArchitectureSpec.class));
    }

    @Test
    void everyArchitectureHasADescription() throws RoentgenException {
        for (String name : Architectures.names()) {
            assertTrue(!Architectures.description(name).isBlank());
        }
    }
}
