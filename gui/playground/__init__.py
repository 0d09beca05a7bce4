"""The 2D playground workbench: place points on a plane, train, watch the boundary."""
