"""The Digits workbench: draw a number, see the downsampled input, the forward pass and the top two guesses; train on real digits live."""  # noqa: E501
