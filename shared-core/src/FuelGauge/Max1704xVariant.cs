namespace AetherEdge.Core.FuelGauge
{
    /// <summary>Which member of the family is fitted; it sets how many cells VCELL spans.</summary>
    public enum Max1704xVariant
    {
        /// <summary>MAX17048: one Li-ion cell (1S); VCELL reads the cell.</summary>
        Max17048 = 1,

        /// <summary>MAX17049: two Li-ion cells in series (2S); VCELL reads the pack, twice the per-cell scale.</summary>
        Max17049 = 2,
    }
}
