namespace Broker.Topics.Filtering;

/// <summary>A compiled policy object: every key must match (AND across keys) and every <c>$or</c> group must have a matching alternative.</summary>
/// <remarks>Immutable once built; evaluation reads it from any number of threads without locks.</remarks>
internal sealed partial class PolicyNode
{
    public PolicyNode(KeyRule[] keys, PolicyNode[][] orGroups)
    {
        Keys = keys;
        OrGroups = orGroups;
    }

    public KeyRule[] Keys { get; }

    /// <summary>Gets the <c>$or</c> groups of this object; each inner array holds the alternatives of one group.</summary>
    public PolicyNode[][] OrGroups { get; }

    public bool IsEmpty => Keys.Length == 0 && OrGroups.Length == 0;

    /// <summary>Counts the keys of the widest alternative of this object, picking the widest branch of each <c>$or</c> group.</summary>
    public int CountKeysOfWidestAlternative()
    {
        int count = Keys.Length;
        foreach (PolicyNode[] group in OrGroups)
        {
            int widest = 0;
            foreach (PolicyNode branch in group)
            {
                widest = Math.Max(widest, branch.CountKeysOfWidestAlternative());
            }

            count += widest;
        }

        return count;
    }
}
