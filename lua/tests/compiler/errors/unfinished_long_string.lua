x = [==[ abc

