"""FHIR R4 export: one module per resource, one pure function per direction.

fhir.resources 8 ships R5 at the top level and no R4 module; the R4B models
(`fhir.resources.R4B`) validate the R4 resources exported here, which R4B
left unchanged in every element we use. Code fields such as `status` are not
checked against their value sets by the library; the tests check them.
Domain apps never import from here.
"""
