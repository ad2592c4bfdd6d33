"""Most: the platform of the migrant-integration network."""
