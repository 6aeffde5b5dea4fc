"""The district on the ground: road graph and travel times (:mod:`.graph`), GraphML
reading (:mod:`.graphml`), named places (:mod:`.places`), the world a drill runs in
(:mod:`.world`) and the network summary (:mod:`.summary`)."""
