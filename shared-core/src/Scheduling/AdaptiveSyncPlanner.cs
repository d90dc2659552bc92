namespace AetherEdge.Core.Scheduling
{
    using System;

    /// <summary>
    /// The seed's adaptive scheduler: from the times the device was used, find the top peak hours
    /// and the next one-hour window starting at a peak. Hours are UTC plus an owner-set offset.
    /// </summary>
    public static class AdaptiveSyncPlanner
    {
        /// <summary>Seed: the top 3 hours count as peaks.</summary>
        public const int MaxPeakHours = 3;

        /// <summary>Hours in a day.</summary>
        public const int HoursPerDay = 24;

        /// <summary>Seed: a window lasts one hour.</summary>
        public const int WindowHours = 1;

        /// <summary>
        /// The up to three hours (0-23, local = UTC + offset) with the most usage, busiest first, ties
        /// to the earlier hour. Hours never used are not peaks: the seed's sort would return hours
        /// 0, 1, 2 for an empty history.
        /// </summary>
        public static int[] PeakHours(DateTime[] usageUtc, int count, int utcOffsetMinutes)
        {
            int[] perHour = new int[HoursPerDay];
            for (int i = 0; i < count; i++)
            {
                perHour[LocalHour(usageUtc[i], utcOffsetMinutes)]++;
            }

            int found = 0;
            int[] peaks = new int[MaxPeakHours];
            bool[] taken = new bool[HoursPerDay];
            while (found < MaxPeakHours)
            {
                int best = -1;
                for (int h = 0; h < HoursPerDay; h++)
                {
                    if (!taken[h] && perHour[h] > 0 && (best < 0 || perHour[h] > perHour[best]))
                    {
                        best = h;
                    }
                }

                if (best < 0)
                {
                    break;
                }

                taken[best] = true;
                peaks[found++] = best;
            }

            int[] result = new int[found];
            Array.Copy(peaks, result, found);
            return result;
        }

        /// <summary>
        /// The next window: the rest of the current hour if it is a peak, else the next peak hour
        /// to start; with no history, the next hour from now (sync whenever the rules allow).
        /// </summary>
        public static SyncWindow NextWindow(DateTime[] usageUtc, int count, DateTime nowUtc, int utcOffsetMinutes)
        {
            int[] peaks = PeakHours(usageUtc, count, utcOffsetMinutes);
            DateTime hourStart = new DateTime(nowUtc.Year, nowUtc.Month, nowUtc.Day, nowUtc.Hour, 0, 0);
            if (peaks.Length == 0)
            {
                return new SyncWindow(nowUtc, nowUtc.AddHours(WindowHours));
            }

            for (int ahead = 0; ahead < HoursPerDay; ahead++)
            {
                DateTime start = hourStart.AddHours(ahead);
                int local = LocalHour(start, utcOffsetMinutes);
                for (int p = 0; p < peaks.Length; p++)
                {
                    if (peaks[p] == local)
                    {
                        DateTime from = ahead == 0 ? nowUtc : start;
                        return new SyncWindow(from, start.AddHours(WindowHours));
                    }
                }
            }

            return new SyncWindow(nowUtc, nowUtc.AddHours(WindowHours));
        }

        private static int LocalHour(DateTime utc, int utcOffsetMinutes)
        {
            int minutes = (utc.Hour * 60) + utc.Minute + utcOffsetMinutes;
            int day = HoursPerDay * 60;
            minutes = ((minutes % day) + day) % day;
            return minutes / 60;
        }
    }
}
