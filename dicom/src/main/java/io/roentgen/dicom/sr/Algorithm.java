package io.roentgen.dicom.sr;

/** The algorithm that made the findings (TID 4019 and the device observer of TID 1004), as IHE AIR asks. */
public record Algorithm(String name, String version, String bundleHash, String manufacturer) {}
