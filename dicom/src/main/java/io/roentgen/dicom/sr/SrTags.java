package io.roentgen.dicom.sr;

/** Tags of the SR modules (PS3.3 C.17) that the root {@code Tag} class does not name. */
final class SrTags {
    private SrTags() {}

    static final int CodingSchemeVersion = 0x00080103;
    static final int MappingResource = 0x00080105;
    static final int CodingSchemeIdentificationSequence = 0x00080110;
    static final int CodingSchemeName = 0x00080115;
    static final int CodingSchemeResponsibleOrganization = 0x00080116;
    static final int LongCodeValue = 0x00080119;
    static final int ReferencedPerformedProcedureStepSequence = 0x00081111;
    static final int ReferencedSeriesSequence = 0x00081115;
    static final int ReferencedSOPSequence = 0x00081199;
    static final int DeviceSerialNumber = 0x00181000;
    static final int SoftwareVersions = 0x00181020;
    static final int StudyID = 0x00200010;
    static final int SeriesNumber = 0x00200011;
    static final int InstanceNumber = 0x00200013;
    static final int RelationshipType = 0x0040A010;
    static final int ValueType = 0x0040A040;
    static final int ConceptNameCodeSequence = 0x0040A043;
    static final int ContinuityOfContent = 0x0040A050;
    static final int UID = 0x0040A124;
    static final int TextValue = 0x0040A160;
    static final int ConceptCodeSequence = 0x0040A168;
    static final int MeasuredValueSequence = 0x0040A300;
    static final int NumericValue = 0x0040A30A;
    static final int MeasurementUnitsCodeSequence = 0x004008EA;
    static final int PerformedProcedureCodeSequence = 0x0040A372;
    static final int CurrentRequestedProcedureEvidenceSequence = 0x0040A375;
    static final int CompletionFlag = 0x0040A491;
    static final int VerificationFlag = 0x0040A493;
    static final int ContentTemplateSequence = 0x0040A504;
    static final int ContentSequence = 0x0040A730;
    static final int TemplateIdentifier = 0x0040DB00;
}
