namespace CoffeeShop.Shop;

/// <summary>Receives the story as it happens; called from many threads at once.</summary>
internal interface IShopObserver
{
    void OnEvent(ShopEvent shopEvent);
}
