namespace CoffeeShop.Baristas;

/// <summary>Thrown by a barista who cannot make an order with what is in the pantry; the consumer retries it with back-off.</summary>
internal sealed class OutOfStockException : Exception
{
    public OutOfStockException()
    {
    }

    public OutOfStockException(string message)
        : base(message)
    {
    }

    public OutOfStockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
