"""What every kasane service exposes besides its own use cases."""
from nameko.rpc import rpc


class InstanceEntrypoints:
    """Mixed into each service class, which sets `kasane = KasaneRuntime(bootstrap)`."""

    @rpc
    def health(self) -> dict:
        """稼働状況 — which instance this is, how far its relay and consumer have got."""
        return self.kasane.health()
