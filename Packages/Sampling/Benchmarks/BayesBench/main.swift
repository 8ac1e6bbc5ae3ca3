print("BayesBench: placeholder")
