using AetherEdge.Core.Protocol;

namespace AetherEdge.Fuzz.Tests
{
    /// <summary>
    /// CI budget: every target runs its seeds and <see cref="CiInputs"/> mutated inputs (about 30 s for all targets on
    /// 2 cores); the README has the long command. The runner times inputs; these tests only count outcomes.
    /// </summary>
    public class FuzzTargetTests
    {
        private const int CiInputs = 30_000;

        public static TheoryData<string> Targets()
        {
            var data = new TheoryData<string>();
            foreach (var t in FuzzRunner.AllTargets())
            {
                data.Add(t.Name);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Targets))]
        public void Target_ShortRun_NoCrashesNoHangs(string name)
        {
            var target = FuzzRunner.AllTargets().Single(t => t.Name == name);
            var report = FuzzRunner.Run(target, CiInputs, seed: name.Length, hangBound: TimeSpan.FromSeconds(5));
            Assert.True(report.CrashCount == 0 && report.HangCount == 0,
                report + "\n" + string.Join("\n", report.Findings.Select(f => f.Kind + " " + Convert.ToHexString(f.Input) + "\n" + f.Description)));
            Assert.Equal(CiInputs + target.Seeds().Length, report.Inputs);

            // The mutator must reach both sides of the parser, or the run proves little.
            Assert.True(report.Accepted > target.Seeds().Length, report.ToString());
            Assert.True(report.Rejected > 0, report.ToString());
        }

        [Fact]
        public void AllTargets_CoverEveryParserTheIssueNames()
        {
            var names = FuzzRunner.AllTargets().Select(t => t.Name).ToArray();
            Assert.Subset(names.ToHashSet(), new HashSet<string>
            {
                "dns-message", "mdns-node", "sync-frame", "gatt-frame", "beacon-advertisement", "routing-header",
                "shard-envelope", "shard-header", "shard-manifest", "manifest-layout",
            });
        }

        [Fact]
        public void Runner_ParserThatThrowsTheWrongType_IsCountedAsACrashWithItsInput()
        {
            var report = FuzzRunner.Run(new ThrowsOnByte(0x42), 5_000, seed: 3, hangBound: TimeSpan.FromSeconds(5));
            Assert.True(report.CrashCount > 0, report.ToString());
            var crash = Assert.Single(report.Findings);
            Assert.Contains((byte)0x42, crash.Input);
            Assert.Contains("IndexOutOfRangeException", crash.Description, StringComparison.Ordinal);
        }

        [Fact]
        public void Runner_ParserThatNeverReturns_IsReportedAsAHangAndTheRunEnds()
        {
            var report = FuzzRunner.Run(new SpinsOnEmpty(), 100_000, seed: 4, hangBound: TimeSpan.FromMilliseconds(100));
            Assert.True(report.HangCount >= 1, report.ToString());
            Assert.Contains(report.Findings, f => f.Kind == "hang" && f.Input.Length == 0);
            Assert.True(report.Inputs < 100_000, report.ToString());
        }

        [Fact]
        public void Runner_DocumentedRejection_IsNotACrash()
        {
            var report = FuzzRunner.Run(new RejectsOdd(), 2_000, seed: 5, hangBound: TimeSpan.FromSeconds(5));
            Assert.Equal(0, report.CrashCount);
            Assert.True(report.Rejected > 0 && report.Accepted > 0, report.ToString());
        }

        private sealed class ThrowsOnByte : FuzzTarget
        {
            private readonly byte _poison;

            public ThrowsOnByte(byte poison)
            {
                _poison = poison;
            }

            public override string Name => "test-throws";

            public override string Source => "test";

            public override byte[][] Seeds() => new[] { new byte[] { 1, 2, 3, 4 } };

            public override bool Execute(byte[] input)
            {
                if (input.Contains(_poison))
                {
                    throw new IndexOutOfRangeException("poison");
                }

                return true;
            }
        }

        private sealed class SpinsOnEmpty : FuzzTarget
        {
            public override string Name => "test-spins";

            public override string Source => "test";

            public override byte[][] Seeds() => new[] { new byte[] { 1 } };

            public override bool Execute(byte[] input)
            {
                while (input.Length == 0)
                {
                    Thread.Sleep(10);
                }

                return true;
            }
        }

        private sealed class RejectsOdd : FuzzTarget
        {
            public override string Name => "test-rejects";

            public override string Source => "test";

            public override byte[][] Seeds() => new[] { new byte[] { 2, 4 } };

            public override bool Execute(byte[] input) =>
                input.Length % 2 == 0 ? true : throw new ProtocolViolationException("odd");
        }
    }
}
