using AetherEdge.Core.FuelGauge;
using AetherEdge.Core.Protocol;
using CsCheck;

namespace AetherEdge.Core.Tests.FuelGauge
{
    public class Max1704xCodecTests
    {
        [Theory]
        [InlineData((ushort)0x0000, 0.0)]
        [InlineData((ushort)0x0001, 0.078125)]
        [InlineData((ushort)0xB900, 3700.0)]   // 47360 × 78.125 µV
        [InlineData((ushort)0xD200, 4200.0)]   // 53760 × 78.125 µV, full LiPo
        [InlineData((ushort)0xFFFF, 5119.921875)]
        public void DecodeVoltageMillivolts_Max17048_UsesOneCellScale(ushort raw, double expectedMillivolts)
        {
            Assert.Equal(expectedMillivolts, Max1704xCodec.DecodeVoltageMillivolts(raw, Max1704xVariant.Max17048), 9);
        }

        [Fact]
        public void DecodeVoltageMillivolts_Max17049_DoublesForTwoCells()
        {
            Assert.Equal(7400.0, Max1704xCodec.DecodeVoltageMillivolts(0xB900, Max1704xVariant.Max17049), 9);
            Assert.Equal(2, Max1704xCodec.CellCount(Max1704xVariant.Max17049));
        }

        [Theory]
        [InlineData((ushort)0x5780, 87.5, 87)]
        [InlineData((ushort)0x6400, 100.0, 100)]
        [InlineData((ushort)0x0001, 0.00390625, 0)]
        [InlineData((ushort)0x6480, 100.5, 100)]
        public void DecodeStateOfCharge_HighByteIsWholePercent(ushort raw, double percent, int whole)
        {
            Assert.Equal(percent, Max1704xCodec.DecodeStateOfChargePercent(raw), 9);
            Assert.Equal(whole, Max1704xCodec.DecodeStateOfChargeWholePercent(raw));
        }

        [Theory]
        [InlineData((ushort)0x0000, 0.0)]
        [InlineData((ushort)0x0005, 1.04)]
        [InlineData((ushort)0xFFFB, -1.04)]      // −5 LSB
        [InlineData((ushort)0x8000, -6815.744)]  // most negative
        public void DecodeChargeRate_IsSignedTwosComplement(ushort raw, double percentPerHour)
        {
            Assert.Equal(percentPerHour, Max1704xCodec.DecodeChargeRatePercentPerHour(raw), 6);
        }

        [Fact]
        public void DecodeAlertThreshold_ConfigDefault_IsFourPercent()
        {
            Assert.Equal(4, Max1704xCodec.DecodeAlertThresholdPercent(Max1704xCodec.ConfigDefault));
            Assert.Equal(0x97, Max1704xCodec.DecodeRcomp(Max1704xCodec.ConfigDefault));
            Assert.False(Max1704xCodec.IsAlertAsserted(Max1704xCodec.ConfigDefault));
        }

        [Theory]
        [InlineData(1, (ushort)0x971F)]
        [InlineData(10, (ushort)0x9716)]
        [InlineData(20, (ushort)0x970C)]
        [InlineData(32, (ushort)0x9700)]
        public void WithAlertThreshold_SetsAthdAndKeepsRcomp(int percent, ushort expected)
        {
            ushort config = Max1704xCodec.WithAlertThreshold(Max1704xCodec.ConfigDefault, percent);
            Assert.Equal(expected, config);
            Assert.Equal(percent, Max1704xCodec.DecodeAlertThresholdPercent(config));
        }

        [Fact]
        public void WithAlertThreshold_KeepsSleepAlscAlrtBits()
        {
            ushort config = (ushort)(0x4D00 | Max1704xCodec.ConfigSleep | Max1704xCodec.ConfigSocChangeAlert | Max1704xCodec.ConfigAlert | 0x1C);
            ushort updated = Max1704xCodec.WithAlertThreshold(config, 15);
            Assert.Equal((ushort)(config & 0xFFE0 | 17), updated);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(33)]
        [InlineData(-4)]
        public void WithAlertThreshold_OutOfRange_ThrowsNamingThreshold(int percent)
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Max1704xCodec.WithAlertThreshold(Max1704xCodec.ConfigDefault, percent));
            Assert.Contains("1..32", ex.Message);
        }

        [Fact]
        public void ConfigFlags_SetAndClearIndependently()
        {
            ushort asserted = Max1704xCodec.WithConfigFlag(Max1704xCodec.ConfigDefault, Max1704xCodec.ConfigAlert, true);
            Assert.Equal((ushort)0x973C, asserted);
            Assert.True(Max1704xCodec.IsAlertAsserted(asserted));
            Assert.Equal(Max1704xCodec.ConfigDefault, Max1704xCodec.WithConfigFlag(asserted, Max1704xCodec.ConfigAlert, false));
            Assert.Equal((ushort)0x6A1C, Max1704xCodec.WithRcomp(Max1704xCodec.ConfigDefault, 0x6A));
        }

        [Fact]
        public void Hibrt_DefaultDecodesAndRoundTrips()
        {
            Assert.Equal(26.624, Max1704xCodec.DecodeHibernateThresholdPercentPerHour(Max1704xCodec.HibrtDefault), 6);
            Assert.Equal(60.0, Max1704xCodec.DecodeActiveThresholdMillivolts(Max1704xCodec.HibrtDefault), 6);
            Assert.Equal(Max1704xCodec.HibrtDefault, Max1704xCodec.EncodeHibrt(26.624, 60.0));
            Assert.Equal(Max1704xCodec.HibrtNeverHibernate, Max1704xCodec.EncodeHibrt(0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => Max1704xCodec.EncodeHibrt(60.0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => Max1704xCodec.EncodeHibrt(double.NaN, 0));
        }

        [Fact]
        public void Valrt_DefaultIsOpenWindowAndEncodesPerCell()
        {
            Assert.Equal(0, Max1704xCodec.DecodeVoltageAlertMinimumMillivoltsPerCell(Max1704xCodec.ValrtDefault));
            Assert.Equal(5100, Max1704xCodec.DecodeVoltageAlertMaximumMillivoltsPerCell(Max1704xCodec.ValrtDefault));
            ushort window = Max1704xCodec.EncodeValrt(3400, 4200);
            Assert.Equal((ushort)((170 << 8) | 210), window);
            Assert.Equal(3400, Max1704xCodec.DecodeVoltageAlertMinimumMillivoltsPerCell(window));
            Assert.Equal(4200, Max1704xCodec.DecodeVoltageAlertMaximumMillivoltsPerCell(window));
            Assert.Throws<ArgumentOutOfRangeException>(() => Max1704xCodec.EncodeValrt(4200, 3400));
            Assert.Throws<ArgumentOutOfRangeException>(() => Max1704xCodec.EncodeValrt(0, 5200));
        }

        [Fact]
        public void VResetId_DefaultIsThreeVoltsWithIdInLowByte()
        {
            ushort reg = 0x96A5;
            Assert.Equal(3000, Max1704xCodec.DecodeResetVoltageMillivolts(reg));
            Assert.False(Max1704xCodec.IsResetComparatorDisabled(reg));
            Assert.Equal(0xA5, Max1704xCodec.DecodeId(reg));
            ushort updated = Max1704xCodec.WithResetVoltage(0x97A5, 2510);
            Assert.Equal((ushort)((63 << 9) | 0x01A5), updated);
            Assert.True(Max1704xCodec.IsResetComparatorDisabled(updated));
            Assert.Equal(2520, Max1704xCodec.DecodeResetVoltageMillivolts(updated)); // nearest 40 mV step
            Assert.Throws<ArgumentOutOfRangeException>(() => Max1704xCodec.WithResetVoltage(0, 5120));
        }

        [Fact]
        public void Status_DecodesFlagsAndClearsOnlyAlerts()
        {
            Assert.Equal(Max1704xStatusFlags.ResetIndicator, Max1704xCodec.DecodeStatus(0x01FF));
            ushort status = 0x5F00; // EnVr + RI VH VL VR HD
            Max1704xStatusFlags flags = Max1704xCodec.DecodeStatus(status);
            Assert.True((flags & Max1704xStatusFlags.SocLow) != 0);
            Assert.True((flags & Max1704xStatusFlags.EnableVoltageResetAlert) != 0);
            Assert.False((flags & Max1704xStatusFlags.SocChange) != 0);
            ushort cleared = Max1704xCodec.WithAlertsCleared(status, Max1704xStatusFlags.ResetIndicator | Max1704xStatusFlags.SocLow | Max1704xStatusFlags.EnableVoltageResetAlert);
            Assert.Equal((ushort)0x4E00, cleared); // EnVr is a setting, not cleared
        }

        [Theory]
        [InlineData((ushort)0x0011, true)]
        [InlineData((ushort)0x0012, true)]
        [InlineData((ushort)0xFFFF, false)]
        [InlineData((ushort)0x0002, false)]
        public void IsKnownVersion_AcceptsFamily001x(ushort version, bool known)
        {
            Assert.Equal(known, Max1704xCodec.IsKnownVersion(version));
        }

        [Fact]
        public void Words_AreBigEndian()
        {
            byte[] buffer = new byte[4];
            Assert.True(Max1704xCodec.TryWriteWord(0x971C, buffer, 1, out int written));
            Assert.Equal(2, written);
            Assert.Equal(new byte[] { 0, 0x97, 0x1C, 0 }, buffer);
            Assert.Equal((ushort)0x971C, Max1704xCodec.ReadWord(buffer, 1));
            Assert.False(Max1704xCodec.TryWriteWord(1, buffer, 3, out written));
            Assert.Equal(0, written);
        }

        [Fact]
        public void TryWriteRegisterWrite_BuildsAddressThenWord()
        {
            byte[] frame = new byte[3];
            Assert.True(Max1704xCodec.TryWriteRegisterWrite(Max1704xRegister.Mode, Max1704xCodec.ModeQuickStart, frame, 0, out int written));
            Assert.Equal(3, written);
            Assert.Equal(new byte[] { 0x06, 0x40, 0x00 }, frame);
            Assert.False(Max1704xCodec.TryWriteRegisterWrite(Max1704xRegister.Cmd, Max1704xCodec.PowerOnResetCommand, new byte[2], 0, out _));
        }

        [Fact]
        public void ReadWord_Truncated_ThrowsProtocolViolation()
        {
            var ex = Assert.Throws<ProtocolViolationException>(() => Max1704xCodec.ReadWord(new byte[] { 0x12 }, 0));
            Assert.Contains("truncated", ex.Message);
            Assert.Throws<ProtocolViolationException>(() => Max1704xCodec.ReadWord(new byte[4], -1));
        }

        [Fact]
        public void IsKnownRegister_MatchesTheMap()
        {
            foreach (Max1704xRegister reg in Enum.GetValues<Max1704xRegister>())
            {
                Assert.True(Max1704xCodec.IsKnownRegister((int)reg));
            }

            Assert.False(Max1704xCodec.IsKnownRegister(0x00));
            Assert.False(Max1704xCodec.IsKnownRegister(0x03));
            Assert.False(Max1704xCodec.IsKnownRegister(0x40));
        }

        [Fact]
        public void Words_RoundTripForAllValues()
        {
            Gen.UShort.Sample(value =>
            {
                byte[] buffer = new byte[2];
                Assert.True(Max1704xCodec.TryWriteWord(value, buffer, 0, out _));
                Assert.Equal(value, Max1704xCodec.ReadWord(buffer, 0));
            });
        }

        [Fact]
        public void AlertThreshold_RoundTripsForEveryConfig()
        {
            Gen.Select(Gen.UShort, Gen.Int[1, 32]).Sample((config, percent) =>
            {
                ushort updated = Max1704xCodec.WithAlertThreshold(config, percent);
                Assert.Equal(percent, Max1704xCodec.DecodeAlertThresholdPercent(updated));
                Assert.Equal(config & 0xFFE0, updated & 0xFFE0);
            });
        }
    }
}
