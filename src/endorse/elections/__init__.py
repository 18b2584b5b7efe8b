"""Elections and their stages: the frame every endorsement and result hangs on."""
