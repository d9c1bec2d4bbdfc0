/// <summary>Collects the smoke test's checks, prints each, and turns them into the process exit code.</summary>
internal sealed class SmokeChecks
{
    private int _passed;
    private readonly List<string> _failed = [];

    public void That(bool condition, string what, bool quiet = false)
    {
        if (condition)
        {
            _passed++;
            if (!quiet)
            {
                Console.WriteLine($"ok    {what}");
            }
        }
        else
        {
            _failed.Add(what);
            Console.WriteLine($"FAIL  {what}");
        }
    }

    public int Report()
    {
        Console.WriteLine($"aot smoke: {_passed} checks passed, {_failed.Count} failed");
        return _failed.Count == 0 && _passed > 0 ? 0 : 1;
    }
}
